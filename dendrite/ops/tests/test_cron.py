"""Due times and schedules in words."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dendrite.ops import cron

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("* * * * *", "Every minute"),
        ("*/10 * * * *", "Every 10 minutes"),
        ("5 * * * *", "Every hour at 5 minutes past"),
        ("17 3 * * *", "Every day at 3:17 AM"),
        ("0 15 * * *", "Every day at 3:00 PM"),
        ("0 0 * * *", "Every day at 12:00 AM"),
        ("30 12 * * 1", "Every Monday at 12:30 PM"),
        ("0 9 1 * *", "0 9 1 * *"),  # not one of ours: said as it is
    ],
)
def test_schedules_in_words(expression, words):
    assert cron.in_words(expression) == words


def test_a_job_is_due_at_its_latest_fire_time_at_or_before_now():
    now = dt.datetime(2026, 11, 30, 3, 17, 0, 500, tzinfo=NY)
    assert cron.last_due("17 3 * * *", now) == dt.datetime(2026, 11, 30, 3, 17, tzinfo=NY)
    earlier = dt.datetime(2026, 11, 30, 3, 16, 59, tzinfo=NY)
    assert cron.last_due("17 3 * * *", earlier) == dt.datetime(2026, 11, 29, 3, 17, tzinfo=NY)
    assert cron.last_due("* * * * *", earlier) == dt.datetime(2026, 11, 30, 3, 16, tzinfo=NY)
    assert cron.next_due("17 3 * * *", earlier) == dt.datetime(2026, 11, 30, 3, 17, tzinfo=NY)


def test_a_daily_job_keeps_its_local_time_across_the_clock_change():
    # US clocks go back on Nov 1, 2026: 3:17 AM local stays 3:17 AM local.
    before = cron.last_due("17 3 * * *", dt.datetime(2026, 10, 31, 12, 0, tzinfo=NY))
    after = cron.last_due("17 3 * * *", dt.datetime(2026, 11, 2, 12, 0, tzinfo=NY))
    assert (before.hour, after.hour) == (3, 3)
    assert before.utcoffset() != after.utcoffset()
