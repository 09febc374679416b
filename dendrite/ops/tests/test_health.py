"""/healthz answers while the process runs; /readyz turns red when a part is down."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from dendrite.alerts.actions import HEARTBEAT
from dendrite.alerts.models import WorkerHeartbeat
from dendrite.ops import scheduler

pytestmark = pytest.mark.django_db


def all_alive() -> None:
    WorkerHeartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"beat_at": timezone.now()})
    scheduler.beat(timezone.now())


def test_healthz_answers_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_readyz_is_green_when_everything_answers():
    all_alive()
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "queue": "ok",
            "worker": "ok",
            "scheduler": "ok",
            "disk": "ok",
        },
    }


def test_readyz_turns_red_when_the_worker_stops(settings):
    all_alive()
    WorkerHeartbeat.objects.filter(name=HEARTBEAT).update(
        beat_at=timezone.now() - dt.timedelta(minutes=settings.WORKER_HEARTBEAT_STALE_MINUTES + 1)
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["worker"] == "failing"
    assert body["checks"]["database"] == "ok"


def test_readyz_turns_red_without_a_scheduler_or_disk(settings):
    WorkerHeartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"beat_at": timezone.now()})
    assert Client().get("/readyz").json()["checks"]["scheduler"] == "failing"
    scheduler.beat(timezone.now())
    settings.HEALTH_MIN_FREE_DISK_MB = 10**12
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"] == "failing"


def test_a_check_that_raises_is_failing_not_a_500(monkeypatch):
    all_alive()
    from dendrite.ops import health

    def broken(now):
        raise ConnectionError("secret detail")

    monkeypatch.setitem(health.CHECKS, "queue", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert "secret" not in json.dumps(response.json())
