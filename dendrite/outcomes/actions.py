"""Writes of measurement-based care: a patient's plan changed, questionnaire links sent
(before a visit, at a check-in), answers kept as they come, questionnaires completed, the
check-in tablet started, lapsed requests expired (a missed check-in opens a task).

The sweep (`manage.py send_questionnaire_links`, every minute from cron) calls
sweep.send_due, which sends through here, and `expire_lapsed`. Exactly once: a request
is unique per visit and per check-in (database constraints), created in the transaction
that stores the message and queues its send (scheduling.messaging), so a second sweep,
a second worker or a crash between the two never sends a second link.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from dendrite.accounts.models import Role, User
from dendrite.alerts.actions import add_risk, raise_alert
from dendrite.audit.log import record
from dendrite.instruments import loader, safety, scoring
from dendrite.instruments.answers import is_enabled
from dendrite.instruments.scoring import SUICIDE_RISK, SUICIDE_RISK_HIGH
from dendrite.patients.actions import record_questionnaire_response
from dendrite.patients.models import Patient, QuestionnaireResponse, ResponseSource
from dendrite.scheduling import messaging
from dendrite.scheduling.models import RELEASED, Appointment, Series
from dendrite.scheduling.reminders import Moment
from dendrite.worklist.actions import open_task
from dendrite.worklist.models import Kind

from . import booster, plans, tokens
from .models import (
    BoosterApproval,
    MeasurementPlan,
    PatientPlanChange,
    QuestionnaireRequest,
    RequestStatus,
)

# Untranslated: messaging.compose writes them in the patient's language.
SUBJECT = gettext_noop("Your questions before your visit at %(site)s")
CHECK_IN_SUBJECT = gettext_noop("A few questions from %(site)s")
MISSED_CHECK_IN = "Missed check-in: reach the patient"


# A patient's plan


@transaction.atomic
def change_patient_plan(
    patient: Patient,
    *,
    instrument: str,
    removed: bool,
    cadence: str,
    every_days: int | None,
    reason: str,
    by: User,
) -> PatientPlanChange:
    change, _ = PatientPlanChange.objects.update_or_create(
        patient=patient,
        instrument=instrument,
        defaults={
            "removed": removed,
            "cadence": cadence,
            "every_days": every_days,
            "reason": reason,
            "changed_by": by,
            "changed_at": timezone.now(),
        },
    )
    detail = {"removed": removed, "cadence": cadence, "every_days": every_days}
    record("outcomes.plan.change", user=by, obj=change, patient_id=patient.pk, detail=detail)
    return change


@transaction.atomic
def undo_patient_change(change: PatientPlanChange, *, by: User) -> None:
    """Back to the clinic's plan for this instrument."""
    record("outcomes.plan.undo", user=by, obj=change, patient_id=change.patient_id)
    change.delete()


# Sending


def language_of(patient: Patient) -> str:
    """The language of messages to the patient (Patient.message_language)."""
    return patient.message_language()


def previous_visit(appointment: Appointment) -> dt.datetime | None:
    last: dt.datetime | None = (
        Appointment.objects.filter(
            patient_id=appointment.patient_id,
            appointment_type__kind__in=plans.MEASURED_KINDS,
            starts_at__lt=appointment.starts_at,
        )
        .exclude(status__in=RELEASED)
        .aggregate(last=Max("starts_at"))["last"]
    )
    return last


def _new_request(**fields: Any) -> tuple[QuestionnaireRequest, str] | None:
    """The request and its token, or None if this visit or check-in has one already."""
    token = tokens.new_token()
    try:
        with transaction.atomic():
            request = QuestionnaireRequest.objects.create(
                token_hash=tokens.hash_token(token), **fields
            )
    except IntegrityError:
        return None
    return request, token


def link(token: str) -> str:
    return settings.SITE_URL + reverse("outcomes:open", args=[token])


def _notify(request: QuestionnaireRequest, token: str, subject: str) -> None:
    """The link to the patient on each consented channel, in their language. The link
    lives in the stored message body only until it is sent (then erased)."""
    context = {
        "site_name": settings.DENDRITE_SITE_NAME,
        "location": request.location,
        "appointment": request.appointment,
        "when": Moment(request.appointment) if request.appointment else "",
        "url": link(token),
        "expires": timezone.localtime(request.expires_at, request.location.tz),
        "check_in": request.is_check_in,
    }
    channels = messaging.notify_patient(
        request.patient,
        location=request.location,
        subject=subject,
        template="outcomes/messages/link",
        context=context,
    )
    request.sent_on = channels
    request.save(update_fields=["sent_on"])
    detail = {"channels": channels, "check_in": request.is_check_in}
    record("outcomes.request.send", obj=request, patient_id=request.patient_id, detail=detail)


@transaction.atomic
def send_pre_visit(appointment: Appointment, plan: MeasurementPlan) -> QuestionnaireRequest | None:
    """Make the visit's request and send its link, once; None if nothing is due or the
    visit has its request already."""
    patient = appointment.patient
    due = plans.due_for(patient, appointment.starts_at, previous_visit(appointment), plan)
    codes = plans.questionnaires(due)
    if not codes:
        return None
    made = _new_request(
        patient=patient,
        location=appointment.location,
        appointment=appointment,
        instruments=codes,
        expires_at=appointment.ends_at,
        language=language_of(patient),
    )
    if made is None:
        return None
    request, token = made
    _notify(request, token, SUBJECT)
    return request


@transaction.atomic
def send_check_in(
    series: Series, day: int, plan: MeasurementPlan, now: dt.datetime
) -> QuestionnaireRequest | None:
    patient = series.patient
    codes = plans.questionnaires(plans.due_for(patient, now, None, plan))
    if not codes:
        return None
    made = _new_request(
        patient=patient,
        location=series.location,
        series=series,
        check_in_day=day,
        instruments=codes,
        expires_at=now + dt.timedelta(days=plan.check_in_valid_days),
        language=language_of(patient),
    )
    if made is None:
        return None
    request, token = made
    _notify(request, token, CHECK_IN_SUBJECT)
    return request


def expire_lapsed(now: dt.datetime | None = None) -> int:
    """Mark open requests past their time expired; a check-in that lapsed opens a task
    for the front desk, once (the task's key)."""
    now = now or timezone.now()
    count = 0
    for request in QuestionnaireRequest.objects.lapsed(now).select_related("patient", "location"):
        with transaction.atomic():
            changed = QuestionnaireRequest.objects.filter(
                pk=request.pk, status=RequestStatus.OPEN
            ).update(status=RequestStatus.EXPIRED, draft={})
            if not changed:
                continue
            count += 1
            record("outcomes.request.expire", obj=request, patient_id=request.patient_id)
            if request.is_check_in:
                open_task(
                    patient=request.patient,
                    kind=Kind.MISSED_CHECK_IN,
                    title=MISSED_CHECK_IN,
                    detail=f"The {request.check_in_day}-day check-in after the induction"
                    " series was not answered.",
                    due_on=timezone.localdate(now, request.location.tz) + dt.timedelta(days=2),
                    role=Role.FRONT_DESK,
                    key=f"missed-check-in:{request.pk}",
                )
    return count


# Answering


def _locked(request: QuestionnaireRequest) -> QuestionnaireRequest:
    return (
        QuestionnaireRequest.objects.select_for_update(of=("self",))
        .select_related("patient__location", "location", "alert")
        .get(pk=request.pk)
    )


def _flags(reasons: list[safety.Reason]) -> list[str]:
    flags = [SUICIDE_RISK]
    if any(reason.tier == safety.HIGH for reason in reasons):
        flags.append(SUICIDE_RISK_HIGH)
    return flags


def _source(request: QuestionnaireRequest, tablet: bool) -> str:
    return ResponseSource.CHECK_IN if tablet else ResponseSource.PRE_VISIT


@transaction.atomic
def keep_answers(
    request: QuestionnaireRequest, code: str, values: dict[str, Any], *, tablet: bool = False
) -> QuestionnaireRequest:
    """Keep the answers of a post that are valid on their own, before anything else (a
    reload, a closed tab, an error elsewhere on the page loses nothing). A safety answer
    raises the patient's alert at once, or adds to the one this request raised: the
    patient may stop right here - CLINICAL.md §6 rules 1 and 2."""
    request = _locked(request)
    if not request.usable() or code not in request.to_answer:
        return request
    given = {**request.draft.get(code, {}), **values}
    if given != request.draft.get(code):
        request.draft = {**request.draft, code: given}
        request.save(update_fields=["draft"])
    reasons = safety.reasons(code, given)
    if reasons:
        _alert(request, code, reasons, tablet)
    return request


def _alert(
    request: QuestionnaireRequest, code: str, reasons: list[safety.Reason], tablet: bool
) -> None:
    found = [reason.as_dict() for reason in reasons]
    if request.alert is None:
        request.alert = raise_alert(
            location=request.patient.location,
            flags=_flags(reasons),
            source=f"{_source(request, tablet)}:{code}",
            reasons=found,
            patient=request.patient,
        )
        request.save(update_fields=["alert"])
    else:
        add_risk(request.alert, flags=_flags(reasons), reasons=found)


@transaction.atomic
def complete(
    request: QuestionnaireRequest, code: str, *, tablet: bool = False
) -> QuestionnaireResponse:
    """Score the questionnaire's kept answers and store them with the chart; raises
    scoring.ScoringError if they are not complete (the page says which)."""
    request = _locked(request)
    answers = asked_only(code, request.draft.get(code, {}))
    sex = request.patient.sex
    # The AUDIT-C's cut-off is sex-specific (CLINICAL.md §1.5 [R25]); without a recorded
    # male or female, the lower cut-off (women, >= 3) is used, which misses no one.
    result = scoring.score(code, answers, sex=sex if sex in ("male", "female") else "female")
    response = record_questionnaire_response(
        request.patient,
        result,
        answers,
        source=_source(request, tablet),
        authored_at=timezone.now(),
        alert=request.alert,
    )
    request.answered = [*request.answered, code]
    request.draft = {key: value for key, value in request.draft.items() if key != code}
    if not request.to_answer:
        request.status = RequestStatus.COMPLETED
        request.completed_at = timezone.now()
    request.save(update_fields=["answered", "draft", "status", "completed_at"])
    if code == "phq-9":
        # A rise after a response opens the prescriber's booster review at once (the
        # hourly job catches any the completion missed).
        booster.review_after_response(request.patient)
    return response


def asked_only(code: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers to the questions the skip logic asks, given the answers (an answer to a
    question since closed by a changed answer is dropped; its safety flag was kept)."""
    every = loader.questions(code)
    by_id = {item.link_id: item for item in every}
    asked = {item.link_id for item in every if is_enabled(item, answers, by_id)}
    return {key: value for key, value in answers.items() if key in asked}


def mark_opened(request: QuestionnaireRequest) -> None:
    if request.opened_at is None:
        QuestionnaireRequest.objects.filter(pk=request.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
        record("outcomes.request.open", obj=request, patient_id=request.patient_id)


# The check-in tablet


@transaction.atomic
def start_tablet(appointment: Appointment, *, by: User) -> QuestionnaireRequest | None:
    """The visit's request for the tablet: the one sent before the visit if still open,
    else a new one with whatever is due now (its token is never shown: the tablet holds
    the request in the parked staff session). None if nothing is due."""
    existing = appointment.questionnaire_requests.first()
    if existing is not None:
        if existing.usable():
            record("outcomes.tablet.start", user=by, obj=existing, patient_id=existing.patient_id)
            return existing
        if existing.status == RequestStatus.COMPLETED:
            return None
        existing.delete()  # expired before the visit ended: ask again, at the desk
    plan = plans.plan_for(appointment.patient.organization)
    due = plans.due_for(
        appointment.patient, appointment.starts_at, previous_visit(appointment), plan
    )
    codes = plans.questionnaires(due)
    if not codes:
        return None
    made = _new_request(
        patient=appointment.patient,
        location=appointment.location,
        appointment=appointment,
        instruments=codes,
        expires_at=max(appointment.ends_at, timezone.now() + dt.timedelta(hours=2)),
        language=language_of(appointment.patient),
    )
    if made is None:
        return None
    request = made[0]
    record("outcomes.tablet.start", user=by, obj=request, patient_id=request.patient_id)
    return request


# Boosters a prescriber approves (the patient may then book one in the portal)


@transaction.atomic
def approve_booster(patient: Patient, *, by: User) -> BoosterApproval:
    """A prescriber approves one booster infusion; an approval still open is kept (one
    booster at a time), so approving twice gives one."""
    open_ = (
        BoosterApproval.objects.open().select_for_update(of=("self",))
        .filter(patient=patient).first()
    )  # fmt: skip
    if open_ is not None:
        return open_
    approval = BoosterApproval.objects.create(
        patient=patient, location=patient.location, approved_by=by
    )
    record("outcomes.booster.approve", user=by, obj=approval, patient_id=patient.pk)
    return approval


@transaction.atomic
def withdraw_booster(approval: BoosterApproval, *, by: User) -> None:
    """The approval stops; a booster already booked with it stays booked."""
    changed = (
        BoosterApproval.objects.open().filter(pk=approval.pk).update(withdrawn_at=timezone.now())
    )
    if changed:
        record("outcomes.booster.withdraw", user=by, obj=approval, patient_id=approval.patient_id)
