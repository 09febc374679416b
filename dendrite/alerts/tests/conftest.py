import datetime as dt
import json

import pytest

from dendrite.accounts.models import Role
from dendrite.alerts.models import OnCallShift
from dendrite.conftest import make_user
from dendrite.leads.actions import create_lead, update_screening_lead
from dendrite.leads.models import Outcome, Source

# Monday 30 November 2026, 10:00 in Boston (15:00 UTC): the clinic is open 08:00–18:00.
MONDAY_10AM = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)
# Friday 27 November 2026, 18:30 in Boston (23:30 UTC): closed until Monday.
FRIDAY_630PM = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC)

HIGH = ["suicide-risk", "suicide-risk-high"]
ITEM_9 = {"phq-9": {"9": 3}}
CSSRS_Q4 = {"c-ssrs-screener": {"1": True, "2": True, "3": False, "4": True, "5": False}}


@pytest.fixture
def texts(settings, tmp_path):
    """Text messages land as files, one per idempotency key; returns a reader."""
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"

    def read() -> list[dict]:
        folder = tmp_path / "sms"
        return (
            [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
            if folder.exists()
            else []
        )

    return read


@pytest.fixture
def on_call(boston):
    """Olivia, a Boston prescriber with a mobile, on call for the whole of Nov–Dec 2026."""
    user = make_user("olivia_oncall", Role.PRESCRIBER, boston)
    user.mobile_phone = "+16175550100"
    user.save()
    OnCallShift.objects.create(
        location=boston,
        clinician=user,
        starts_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )
    return user


@pytest.fixture
def backup(boston, on_call):
    user = make_user("bruno_backup", Role.NURSE, boston)
    user.mobile_phone = "+16175550101"
    user.save()
    OnCallShift.objects.filter(clinician=on_call).update(backup=user)
    return user


def screening_lead(location, **extra):
    fields = {
        "source": Source.SCREENING,
        "location": location,
        "name": "Sam Sample",
        "phone": "+16175550123",
        "consent_to_contact": True,
        "triage_outcome": Outcome.INCOMPLETE,
    }
    return create_lead(**(fields | extra))


def flag(lead, flags=("suicide-risk",), safety=None):
    """The screening's answers reach the lead: flags, and the raw safety answers."""
    answers = dict(lead.answers or {})
    answers["safety"] = {**answers.get("safety", {}), **(safety if safety is not None else ITEM_9)}
    return update_screening_lead(
        lead, triage_outcome=Outcome.URGENT_SAFETY, flags=list(flags), answers=answers
    )
