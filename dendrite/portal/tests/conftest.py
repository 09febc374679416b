"""The portal cast, on top of the shared one: Alice (Boston) agreed to e-mail and text
messages; Bob (Boston) to e-mail; Charlie is at West Hartford. `portal_client(patient)`
is a browser signed in to the portal as that patient (an active account, a live portal
session), never as staff."""

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.utils import timezone

from dendrite.patients.models import Consent, Patient
from dendrite.portal import actions, auth
from dendrite.portal.models import Message, PortalAccount, PortalSession
from dendrite.scheduling.models import Appointment, PatientMessage
from dendrite.scheduling.tests.conftest import give_consent, make_appointment


def reachable(patient: Patient, by: Any, *kinds: str) -> Patient:
    for kind in kinds or (Consent.Kind.EMAIL_MESSAGES, Consent.Kind.TEXT_MESSAGES):
        give_consent(patient, by, kind)
    return patient


def active_account(patient: Patient) -> PortalAccount:
    account, _ = PortalAccount.objects.get_or_create(patient=patient)
    account.activated_at = account.activated_at or timezone.now()
    account.save()
    return account


def portal_client(patient: Patient) -> Client:
    client = Client()
    session, secret = actions.start_session(
        active_account(patient), how=PortalSession.How.CODE, device="test"
    )
    browser = client.session
    browser[auth.KEY] = {"id": session.pk, "secret": secret}
    browser.save()
    return client


def last_code(patient: Patient) -> str:
    message = PatientMessage.objects.filter(patient=patient).order_by("-id").first()
    assert message is not None
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found is not None
    return found.group(1)


def soon(days: int = 7, hour: int = 15) -> dt.datetime:
    moment = timezone.now() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def visit(patient: Patient, staff: Any, starts_at: dt.datetime, kind: str = "consultation",
          **extra: Any) -> Appointment:  # fmt: skip
    return make_appointment(patient, kind, starts_at, staff, **extra)


@pytest.fixture
def alice_in(alice, nurse) -> Patient:
    return reachable(alice, nurse)


@pytest.fixture
def bob_in(bob, nurse) -> Patient:
    bob.email = "bob@example.test"
    bob.save()
    return reachable(bob, nurse, Consent.Kind.EMAIL_MESSAGES)


@pytest.fixture(autouse=True)
def message_files(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files sent with messages go to a temporary folder, never the checkout's var/."""
    storage = FileSystemStorage(location=tmp_path / "documents", base_url=None)
    monkeypatch.setattr(Message._meta.get_field("attachment"), "storage", storage)
