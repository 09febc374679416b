"""Writing the recovery record: a day of the diary or of a Timeline Followback, marker
days, the personal diary link, signed plans, and the renewed-treatment task when heavy
drinking returns. Each write is audited; every saved day has the patient reviewed again
once the transaction commits."""

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from dendrite.accounts.models import User
from dendrite.audit.log import record
from dendrite.patients.models import Patient
from dendrite.queue import enqueue_with_transaction
from dendrite.scheduling.messaging import channels_for, notify_patient
from dendrite.worklist.actions import open_task
from dendrite.worklist.models import Kind, StaffTask

from . import access, metrics
from .models import MAX_DRINKS, DiaryLink, DrinkingDay, MarkerDay, Plan, Source, hash_token

# A diary link lasts a year unless staff revoke or renew it sooner (clinic practice,
# not a clinical number).
LINK_DAYS = 365
DIARY = "patient-diary"  # the audit trail's name for the patient writing by their link


class NoChannel(Exception):
    """The patient has no consented channel with an address: a link would reach nobody."""


class DayRecordedWithStaff(Exception):
    """The patient's diary may not change a day recorded with the care team."""


def _check(day: dt.date, drinks: Decimal, today: dt.date) -> None:
    if day > today:
        raise ValueError("a day in the future")
    if not 0 <= drinks <= MAX_DRINKS:
        raise ValueError("drinks out of range")


def _review_later(patient: Patient) -> None:
    enqueue_with_transaction(review_patient, patient_id=patient.pk)


def record_day(
    patient: Patient,
    *,
    day: dt.date,
    drinks: Decimal,
    source: str,
    by: User | None = None,
    craving: int | None = None,
    note: str = "",
) -> tuple[DrinkingDay, bool]:
    """Save one day (a second save of the same day changes it); return it and whether
    it is new. `by` is None when the patient writes in their own diary."""
    _check(day, drinks, access.local_today(patient))
    with transaction.atomic():
        row = DrinkingDay.objects.select_for_update().filter(patient=patient, day=day).first()
        created = row is None
        if row is None:
            row = DrinkingDay(patient=patient, day=day)
        elif source == Source.DIARY and row.with_staff:
            raise DayRecordedWithStaff
        before = None if created else row.source
        row.drinks, row.craving, row.note = drinks, craving, note.strip()
        row.source, row.entered_by, row.updated_at = source, by, timezone.now()
        row.save()
        record(
            "recovery.drinkingday.save",
            user=by,
            username="" if by else DIARY,
            obj=row,
            patient_id=patient.pk,
            detail={"source": source, "created": created, "was": before},
        )
        _review_later(patient)
    return row, created


def record_followback(patient: Patient, days: dict[dt.date, Decimal], *, by: User) -> int:
    """Save the days of a Timeline Followback filled with the patient (blank days are
    left as they were); all or nothing. Return how many days were saved."""
    today = access.local_today(patient)
    for day, drinks in days.items():
        _check(day, drinks, today)
    with transaction.atomic():
        existing = {
            row.day: row
            for row in DrinkingDay.objects.select_for_update().filter(
                patient=patient, day__in=list(days)
            )
        }
        now = timezone.now()
        for day, drinks in days.items():
            row = existing.get(day) or DrinkingDay(patient=patient, day=day)
            row.drinks, row.source, row.entered_by, row.updated_at = drinks, Source.TLFB, by, now
            row.save()
        record(
            "recovery.followback.save",
            user=by,
            obj=patient,
            patient_id=patient.pk,
            detail={"days": len(days)},
        )
        if days:
            _review_later(patient)
    return len(days)


def set_marker(patient: Patient, *, day: dt.date, text: str, by: User) -> MarkerDay | None:
    """Name a day the patient remembers; empty text removes the marker."""
    with transaction.atomic():
        MarkerDay.objects.filter(patient=patient, day=day).delete()
        marker = None
        if text.strip():
            marker = MarkerDay.objects.create(patient=patient, day=day, text=text.strip())
        record("recovery.markerday.save", user=by, obj=patient, patient_id=patient.pk)
    return marker


# The personal diary link

# Untranslated: messaging.compose writes it in the patient's language.
DIARY_SUBJECT = gettext_noop("Your drinking diary")


def diary_url(token: str) -> str:
    return settings.SITE_URL + reverse("recovery:diary_open", args=[token])


def issue_diary_link(patient: Patient, *, by: User) -> tuple[DiaryLink, list[str]]:
    """Make a new link (any earlier one stops working) and send it to the patient on the
    channels they consented to; return it and those channels. Without any such channel
    nothing changes (NoChannel). The token is in the message only; the database keeps its hash."""
    if not channels_for(patient):
        raise NoChannel
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        DiaryLink.objects.filter(patient=patient, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        link = DiaryLink.objects.create(
            patient=patient,
            token_hash=hash_token(token),
            created_by=by,
            expires_at=now + dt.timedelta(days=LINK_DAYS),
        )
        url = diary_url(token)
        channels = notify_patient(
            patient,
            location=patient.location,
            subject=DIARY_SUBJECT,
            template="recovery/messages/diary_link",
            context={"clinic": patient.location.name, "url": url},
        )
        record(
            "recovery.diarylink.issue",
            user=by,
            obj=link,
            patient_id=patient.pk,
            detail={"channels": channels},
        )
    return link, channels


def revoke_diary_link(link: DiaryLink, *, by: User) -> None:
    with transaction.atomic():
        DiaryLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
        record("recovery.diarylink.revoke", user=by, obj=link, patient_id=link.patient_id)


def diary_link_used(link: DiaryLink) -> None:
    DiaryLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    record("recovery.diarylink.open", username=DIARY, obj=link, patient_id=link.patient_id)


# Plans


def sign_plan(patient: Patient, *, kind: str, content: dict[str, str], by: User) -> Plan:
    """Sign a new version of the patient's plan (the form has checked the signer's code)."""
    with transaction.atomic():
        # Lock the patient row so two clinicians signing at once get versions 1 and 2.
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        last = Plan.objects.filter(patient=patient, kind=kind).aggregate(v=Max("version"))["v"]
        plan = Plan.objects.create(
            patient=patient,
            kind=kind,
            version=(last or 0) + 1,
            content={key: text.strip() for key, text in content.items()},
            signed_by=by,
        )
        record(
            "recovery.plan.sign",
            user=by,
            obj=plan,
            patient_id=patient.pk,
            detail={"kind": kind, "version": plan.version},
        )
    return plan


# Heavy drinking returns: a task to reach out, worded as renewed treatment


def task_key(patient: Patient, since: dt.date) -> str:
    return f"recovery-renewed-treatment-{patient.pk}-{since.isoformat()}"


def review_relapse(patient: Patient) -> StaffTask | None:
    """Open the renewed-treatment task for an episode of heavy drinking that has not
    ended, once per episode (the task's key names it)."""
    clinic = access.settings_for(patient.organization_id)
    days = access.drinks_by_day(patient)
    threshold = metrics.heavy_threshold(patient.sex)
    since = metrics.status(days, threshold, clinic.definition).relapse_since
    if since is None:
        return None
    heavy = clinic.definition.heavy_days
    return open_task(
        patient=patient,
        kind=Kind.RE_ENGAGE,
        title="Renewed treatment: reach out",
        detail=(
            f"Heavy drinking returned: {heavy} or more heavy drinking days within "
            f"{clinic.window_days} days, from {since:%b %-d, %Y}. A return to drinking is "
            "common in recovery and a reason to renew or adjust treatment. Call the patient, "
            "listen, and offer a visit soon."
        ),
        due_on=access.local_today(patient) + dt.timedelta(days=clinic.task_due_days),
        role=clinic.task_role,
        key=task_key(patient, since),
    )


def sweep(today: dt.date, *, days: int = 30) -> int:
    """Review every patient with a drinking day in the last `days` days; return how many
    tasks are open for them now (a run twice opens nothing new)."""
    since = today - dt.timedelta(days=days)
    ids = DrinkingDay.objects.filter(day__gte=since).values("patient_id").distinct()
    opened = 0
    for patient in Patient.objects.filter(pk__in=ids).select_related("location"):
        if review_relapse(patient) is not None:
            opened += 1
    return opened


@task()
def review_patient(patient_id: int) -> None:
    """Queued after a day is saved; its argument is an id, never data."""
    patient = Patient.objects.select_related("location").filter(pk=patient_id).first()
    if patient is not None:
        review_relapse(patient)
