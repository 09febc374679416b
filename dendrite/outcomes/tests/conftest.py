"""The outcomes cast, on top of the shared one: Alice (Boston) has recurrent depression on
her chart (F33.1), so the clinic's plan asks the PHQ-9 and the C-SSRS screener before each
visit; she consented to e-mail. Bob has no diagnosis the plan measures."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dendrite.outcomes import actions, tokens
from dendrite.outcomes.models import QuestionnaireRequest
from dendrite.patients.models import Consent, Diagnosis, Patient
from dendrite.scheduling.models import Appointment
from dendrite.scheduling.tests.conftest import give_consent, make_appointment

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)  # a Monday, 9:00 in Boston

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def outbox(settings, tmp_path):
    settings.MAILERS = LOCMEM
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path
    return tmp_path


def diagnose(patient: Patient, code: str, by: Any) -> Diagnosis:
    return Diagnosis.objects.create(patient=patient, code=code, description="", recorded_by=by)


@pytest.fixture
def depressed_alice(alice, nurse):
    diagnose(alice, "F33.1", nurse)
    give_consent(alice, nurse, Consent.Kind.EMAIL_MESSAGES)
    return alice


def infusion_at(patient: Patient, starts_at: dt.datetime, staff: Any, **extra: Any) -> Appointment:
    return make_appointment(patient, "infusion", starts_at, staff, **extra)


def open_request(
    patient: Patient,
    codes: list[str] | None = None,
    *,
    expires_at: dt.datetime | None = None,
    appointment: Appointment | None = None,
) -> tuple[QuestionnaireRequest, str]:
    """A request with its link's token, straight from the action (no message)."""
    made = actions._new_request(
        patient=patient,
        location=patient.location,
        appointment=appointment,
        instruments=codes or ["phq-9", "c-ssrs-screener"],
        expires_at=expires_at or timezone.now() + dt.timedelta(days=1),
    )
    assert made is not None
    return made


def open_url(token: str) -> str:
    return f"/questionnaire/open/{token}/"


PHQ9_CALM = {f"q{n}": "0" for n in range(1, 10)}
PHQ9_SHOWN = [f"q{n}" for n in range(1, 10)] + ["qdifficulty"]


def phq9(**answers: str) -> dict[str, object]:
    """A whole PHQ-9 page as the browser posts it (with the questions it showed)."""
    return {"shown": PHQ9_SHOWN, **PHQ9_CALM, **answers}


__all__ = ["NOW", "tokens"]
