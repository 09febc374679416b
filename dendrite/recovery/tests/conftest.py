import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from dendrite.patients.models import Consent, Patient
from dendrite.recovery.models import DrinkingDay, Source

# Noon in Boston on Monday, Nov 30, 2026: "today" for the patients of these tests.
NOW = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def give_consent(patient: Patient, kind: str, by: Any) -> Consent:
    return Consent.objects.create(
        patient=patient, kind=kind, status=Consent.Status.GIVEN, date=TODAY, recorded_by=by
    )


def put_days(patient: Patient, start: dt.date, values: list[float | None], **extra: Any) -> None:
    """Drinking days straight into the table (no review, no audit): data for a test."""
    rows = [
        DrinkingDay(
            patient=patient,
            day=start + dt.timedelta(days=n),
            drinks=Decimal(str(value)),
            source=extra.get("source", Source.DIARY),
        )
        for n, value in enumerate(values)
        if value is not None
    ]
    DrinkingDay.objects.bulk_create(rows)
