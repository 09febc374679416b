"""A stopped task worker is shown on every staff page (escalations depend on it)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.alerts import actions
from dendrite.alerts.models import WorkerHeartbeat
from dendrite.conftest import signed_in

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)
WARNING = b"Background tasks are not running."


def test_a_worker_that_never_beat_is_shown_as_stopped(front_desk):
    assert WARNING in signed_in(front_desk).get(reverse("accounts:home")).content


def test_the_warning_goes_once_the_worker_answers_and_returns_when_it_stops(
    front_desk, run_worker, settings
):
    settings.WORKER_HEARTBEAT_STALE_MINUTES = 5
    with time_machine.travel(NOW, tick=False) as clock:
        client = signed_in(front_desk)
        actions.sweep()  # cron asks for a beat
        assert WARNING in client.get(reverse("accounts:home")).content
        run_worker()  # the worker answers
        assert WARNING not in client.get(reverse("accounts:home")).content
        clock.shift(dt.timedelta(minutes=6))  # the worker stops
        assert WARNING in signed_in(front_desk).get(reverse("accounts:home")).content


def test_an_outage_queues_one_heartbeat_not_one_a_minute(run_worker):
    from django_tasks_db.models import DBTaskResult

    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(5):
            actions.sweep()
            clock.shift(dt.timedelta(minutes=1))
        assert DBTaskResult.objects.filter(task_path__endswith="heartbeat").count() == 1
        run_worker()
    assert WorkerHeartbeat.objects.get().beat_at is not None


def test_public_pages_never_show_it(client):
    assert WARNING not in client.get("/").content
