"""What /readyz checks: the database, the task queue, the worker's and the scheduler's
heartbeats, and free disk. Each check says "ok" or "failing", never why in detail (the
answer is public and must carry no data), and never raises."""

import datetime as dt
import logging
import shutil
from collections.abc import Callable

from django.conf import settings
from django.db import connection

from dendrite.alerts.actions import worker_is_stale

from .scheduler import scheduler_is_stale

logger = logging.getLogger(__name__)


def database(now: dt.datetime) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    return row is not None and row[0] == 1


def queue(now: dt.datetime) -> bool:
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
        return bool(client.ping())
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.exists()
    return True


def worker(now: dt.datetime) -> bool:
    return not worker_is_stale(now)


def scheduler(now: dt.datetime) -> bool:
    return not scheduler_is_stale(now)


def disk(now: dt.datetime) -> bool:
    free = shutil.disk_usage(settings.VAR_DIR).free
    return free >= settings.HEALTH_MIN_FREE_DISK_MB * 1024 * 1024


CHECKS: dict[str, Callable[[dt.datetime], bool]] = {
    "database": database,
    "queue": queue,
    "worker": worker,
    "scheduler": scheduler,
    "disk": disk,
}


def readiness(now: dt.datetime) -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            ok = check(now)
        except Exception:
            logger.warning("Readiness check %s failed", name, exc_info=True)
            ok = False
        results[name] = "ok" if ok else "failing"
    return results
