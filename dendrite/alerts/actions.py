"""Raising, escalating, acknowledging and closing safety alerts: each one transaction,
audited, with its event on the alert's timeline. See models.py for an alert's life.

Escalation messages are sent exactly once, as reminders are (scheduling/reminders.py):
an Escalation row per clinician, channel and round, claimed with a conditional UPDATE
and a lease, sent with its idempotency key, and queued again by the sweep
(`manage.py escalate_safety_alerts`, every minute) if its task was lost or its worker
died. The sweep also re-runs any escalation round that is due, so a lost task never
leaves an alert unescalated.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dendrite import queue, sms
from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.audit.log import record
from dendrite.clinics.models import Location
from dendrite.instruments import safety
from dendrite.mail import message_id
from dendrite.queue import enqueue_with_transaction

from . import coverage, timing
from .models import AlertEvent, Escalation, OnCallShift, Outcome, SafetyAlert, Tier, WorkerHeartbeat

logger = logging.getLogger(__name__)

Kind = AlertEvent.Kind
Status = Escalation.Status
# Tries of one escalation message before it is left failed; the next round goes out anyway.
RETRY_LIMIT = 8
SUBJECT = "URGENT: safety alert at {location}"  # no personal data in a subject


# When


def _after(location: Location, tier: str, start: dt.datetime, minutes: int) -> dt.datetime:
    """`minutes` later: wall-clock time for high risk (at any hour), opening time otherwise."""
    if tier == Tier.HIGH:
        return start + dt.timedelta(minutes=minutes)
    hours = [(h.weekday, h.opens, h.closes) for h in location.opening_hours.all()]
    today = start.astimezone(location.tz).date()
    closures = [(c.start_date, c.end_date) for c in location.closures.filter(end_date__gte=today)]
    return timing.escalation_due(start, minutes, location.tz, hours, closures)


def first_escalation(location: Location, tier: str, raised_at: dt.datetime) -> dt.datetime:
    return _after(location, tier, raised_at, settings.SAFETY_ALERT_ESCALATION_MINUTES[tier])


# Raising


def reasons_from(questionnaires: Mapping[str, Mapping[str, Any]]) -> list[dict[str, str]]:
    """The safety answers among {instrument code: answers}, as stored on an alert."""
    return [
        reason.as_dict()
        for code, answers in questionnaires.items()
        for reason in safety.reasons(code, answers)
    ]


def _tier(flags: Iterable[str], reasons: Iterable[Mapping[str, str]]) -> str:
    found = [safety.Reason(**reason) for reason in reasons]
    return safety.tier_of(flags, found)


@transaction.atomic
def raise_alert(
    *,
    location: Location,
    flags: list[str],
    source: str,
    reasons: list[dict[str, str]] | None = None,
    **about: Any,
) -> SafetyAlert:
    """Store the alert, and escalate it now (high risk) or queue its escalation."""
    now = timezone.now()
    reasons = list(reasons or [])
    tier = _tier(flags, reasons)
    due = first_escalation(location, tier, now)
    alert = SafetyAlert.objects.create(
        location=location,
        flags=list(flags),
        reasons=reasons,
        tier=tier,
        source=source,
        escalate_at=due,
        next_escalation_at=due,
        **about,
    )
    _event(alert, Kind.RAISED, now, detail={"tier": alert.get_tier_display()})
    record("alerts.safetyalert.raise", obj=alert, detail={"tier": tier, "source": source})
    _arm(alert, now)
    return alert


@transaction.atomic
def add_risk(
    alert: SafetyAlert, *, flags: list[str], reasons: list[dict[str, str]] | None = None
) -> SafetyAlert:
    """Later answers of the same screening: the one alert is updated, never a second one.
    A closed alert reopens; a rise in tier needs a fresh acknowledgement."""
    alert = _locked(alert.pk)
    now = timezone.now()
    merged_flags = sorted(set(alert.flags) | set(flags))
    merged_reasons = list(alert.reasons)
    for reason in reasons or []:
        if reason not in merged_reasons:
            merged_reasons.append(reason)
    tier = safety.higher(alert.tier, _tier(merged_flags, merged_reasons))
    if merged_flags == sorted(alert.flags) and merged_reasons == alert.reasons:
        return alert  # nothing new
    risen = tier != alert.tier
    alert.flags, alert.reasons, alert.tier = merged_flags, merged_reasons, tier
    kind = Kind.RISK_ADDED
    if not alert.is_open:
        kind = Kind.REOPENED
        alert.closed_at, alert.closed_by, alert.outcome = None, None, ""
    if risen or kind == Kind.REOPENED:
        alert.acknowledged_at, alert.acknowledged_by = None, None
        due = first_escalation(alert.location, tier, now)
        current = alert.next_escalation_at
        alert.next_escalation_at = min(due, current) if current else due
    alert.save()
    _event(alert, kind, now, detail={"tier": alert.get_tier_display()})
    detail = {"tier": tier, "reopened": kind == Kind.REOPENED}
    record("alerts.safetyalert.update", obj=alert, detail=detail)
    _arm(alert, now)
    return alert


def _arm(alert: SafetyAlert, now: dt.datetime) -> None:
    """Escalate now if due, else queue the task that will (the sweep is the safety net)."""
    due = alert.next_escalation_at
    if due is None:
        return
    if due <= now:
        escalate(alert, now)
    else:
        enqueue_with_transaction(escalate_alert, at=due, alert_id=alert.pk)


# Escalating


def on_call(location: Location, at: dt.datetime) -> list[OnCallShift]:
    shifts = OnCallShift.objects.filter(
        location=location, starts_at__lte=at, ends_at__gt=at
    ).select_related("clinician", "backup")
    return coverage.covering(((s.starts_at, s.ends_at, s) for s in shifts), at)


def recipients(alert: SafetyAlert, at: dt.datetime) -> tuple[list[User], bool]:
    """Who this round goes to, and whether a clinician is among them.

    Round 1: the clinician(s) on call. Later rounds (nobody acknowledged): also the
    shift's backup and the location's clinic admins. With no shift at this moment (a gap
    in the rota), the clinic admins, and the alert is marked as reaching no clinician.
    After an unanswered call, the reminder to try again also goes to whoever tried."""
    shifts = on_call(alert.location, at)
    people: list[User] = [s.clinician for s in shifts if s.clinician.role in CLINICAL_ROLES]
    later = alert.escalation_round >= 1
    if later:
        people += [s.backup for s in shifts if s.backup and s.backup.role in CLINICAL_ROLES]
    if alert.is_acknowledged and alert.acknowledged_by is not None:
        people.append(alert.acknowledged_by)
    clinician = any(p.is_active and (p.email or p.mobile_phone) for p in people)
    if later or not clinician:
        people += list(
            User.objects.filter(
                locations=alert.location, role=Role.CLINIC_ADMIN, is_active=True
            ).order_by("pk")
        )
    unique = {p.pk: p for p in people if p.is_active and (p.email or p.mobile_phone)}
    return list(unique.values()), clinician


def channels(user: User) -> list[str]:
    return [
        channel
        for channel, address in (
            (Escalation.Channel.EMAIL, user.email),
            (Escalation.Channel.SMS, user.mobile_phone),
        )
        if address
    ]


def escalate(alert: SafetyAlert, now: dt.datetime) -> None:
    """One escalation round, inside the caller's transaction with the alert locked."""
    people, clinician = recipients(alert, now)
    repeat = settings.SAFETY_ALERT_REPEAT_MINUTES
    if not clinician:
        if alert.unrouted_since is None:
            alert.unrouted_since = now
            _event(alert, Kind.UNROUTED, now)
        # Loud on purpose: an operator must fix the rota now. No personal data.
        logger.critical(
            "SAFETY ALERT %s at %s has no clinician on call to escalate to; "
            "it stays open and is shown to every staff member of the location.",
            alert.pk,
            alert.location.name,
        )
    else:
        alert.unrouted_since = None
    if people:
        alert.escalation_round += 1
        alert.escalated_at = alert.escalated_at or now
        sent_to = []
        for person in people:
            used = channels(person)
            for channel in used:
                escalation = Escalation.objects.create(
                    alert=alert, round=alert.escalation_round, recipient=person, channel=channel
                )
                _queue(escalation.pk)
            labels = ", ".join(str(Escalation.Channel(c).label).lower() for c in used)
            sent_to.append(f"{person} ({labels})")
        _event(
            alert, Kind.ESCALATED, now, detail={"round": alert.escalation_round, "sent_to": sent_to}
        )
        record(
            "alerts.safetyalert.escalate",
            obj=alert,
            detail={"round": alert.escalation_round, "recipients": len(people)},
        )
    # Nobody at all: try again within the minute (the sweep), else at the next round.
    alert.next_escalation_at = (
        _after(alert.location, alert.tier, now, repeat) if people else now + dt.timedelta(minutes=1)
    )
    alert.save()
    enqueue_with_transaction(escalate_alert, at=alert.next_escalation_at, alert_id=alert.pk)


@task()
def escalate_alert(alert_id: int) -> str:
    """Runs when an alert's next escalation is due; does nothing if it no longer is."""
    now = timezone.now()
    with transaction.atomic():
        alert = _locked(alert_id)
        due = alert.next_escalation_at
        if not alert.is_open or due is None or due > now:
            return "not due"
        escalate(alert, now)
    return "escalated"


def _locked(alert_id: int) -> SafetyAlert:
    return (
        SafetyAlert.objects.select_for_update(of=("self",))
        .select_related("location", "acknowledged_by")
        .get(pk=alert_id)
    )


# Sending, exactly once


def _queue(escalation_id: int, at: dt.datetime | None = None) -> None:
    enqueue_with_transaction(send_escalation, at=at, escalation_id=escalation_id)


def claimable(now: dt.datetime) -> Q:
    return queue.claimable(now, due=False)


def _claim(escalation_id: int, now: dt.datetime) -> bool:
    return queue.claim(
        Escalation.objects.all(),
        escalation_id,
        now,
        lease_seconds=settings.SAFETY_ALERT_LEASE_SECONDS,
        due=False,
    )


def escalation_message(escalation: Escalation) -> tuple[str, str]:
    alert = escalation.alert
    context = {
        "alert": alert,
        "recipient": escalation.recipient,
        "url": settings.SITE_URL + reverse("alerts:detail", args=[alert.pk]),
        "try_again": alert.is_acknowledged,
    }
    template = f"alerts/messages/escalation_{escalation.channel}.txt"
    return SUBJECT.format(location=alert.location.name), render_to_string(template, context)


@task()
def send_escalation(escalation_id: int) -> None:
    now = timezone.now()
    if not _claim(escalation_id, now):
        return
    escalation = Escalation.objects.select_related(
        "alert__location", "alert__acknowledged_by", "recipient"
    ).get(pk=escalation_id)
    mine = Escalation.objects.filter(pk=escalation_id, status=Status.SENDING)
    alert = escalation.alert
    # Acknowledged since this round went out (and no attempt is pending): not needed.
    if not alert.is_open or (alert.is_acknowledged and alert.next_escalation_at is None):
        mine.update(status=Status.CANCELLED, claimed_until=None)
        return
    subject, body = escalation_message(escalation)
    try:
        _deliver(escalation, subject, body)
    except Exception as error:
        _failed(escalation, error, now)
        return
    with transaction.atomic():
        mine.update(status=Status.SENT, sent_at=timezone.now(), claimed_until=None, last_error="")
        record(
            "alerts.escalation.send",
            obj=escalation,
            detail={"alert": alert.pk, "channel": escalation.channel},
        )


def _deliver(escalation: Escalation, subject: str, body: str) -> None:
    person, key = escalation.recipient, escalation.idempotency_key
    if escalation.channel == Escalation.Channel.SMS:
        sms.get_backend().send(person.mobile_phone, body, key=key)
        return
    EmailMessage(
        subject=subject, body=body, to=[person.email], headers={"Message-ID": message_id(key)}
    ).send()


def _failed(escalation: Escalation, error: Exception, now: dt.datetime) -> None:
    error_name, give_up = queue.describe(error)  # never a foreign message: it may hold an address
    logger.error(
        "Escalation %s of safety alert %s failed (attempt %s): %s",
        escalation.pk,
        escalation.alert_id,
        escalation.attempts,
        error_name,
    )
    queue.retry_or_give_up(
        Escalation.objects.all(),
        escalation.pk,
        attempts=escalation.attempts,
        error_name=error_name,
        now=now,
        limit=RETRY_LIMIT,
        queue_again=lambda later: _queue(escalation.pk, later),
        give_up=give_up,
    )


# What clinicians record


@transaction.atomic
def acknowledge(alert: SafetyAlert, *, by: User, note: str = "") -> SafetyAlert:
    """'I am on it': the repeats stop. The alert stays open until an outcome is recorded."""
    alert = _locked(alert.pk)
    if not alert.is_open or alert.is_acknowledged:
        return alert  # a colleague got there first; their record stands
    now = timezone.now()
    _take(alert, by, now)
    alert.next_escalation_at = None
    alert.save()
    _event(alert, Kind.ACKNOWLEDGED, now, by=by, note=note)
    record("alerts.safetyalert.acknowledge", user=by, obj=alert)
    return alert


@transaction.atomic
def record_attempt(alert: SafetyAlert, *, by: User, note: str = "") -> SafetyAlert:
    """Could not reach the person: kept, and the next try is due (never a close)."""
    alert = _locked(alert.pk)
    if not alert.is_open:
        return alert
    now = timezone.now()
    _take(alert, by, now)
    due = _after(alert.location, alert.tier, now, settings.SAFETY_ALERT_RETRY_MINUTES)
    alert.next_escalation_at = due
    alert.save()
    _event(alert, Kind.ATTEMPT, now, by=by, note=note, detail={"next_try": due.isoformat()})
    record("alerts.safetyalert.attempt", user=by, obj=alert)
    enqueue_with_transaction(escalate_alert, at=due, alert_id=alert.pk)
    return alert


@transaction.atomic
def close(alert: SafetyAlert, *, by: User, outcome: str, note: str) -> SafetyAlert:
    """A clinician records the outcome; only this closes an alert."""
    alert = _locked(alert.pk)
    if not alert.is_open:
        return alert
    now = timezone.now()
    _take(alert, by, now)
    alert.closed_at, alert.closed_by = now, by
    alert.outcome, alert.note = Outcome(outcome), note
    alert.next_escalation_at = None
    alert.save()
    alert.escalations.filter(status=Status.PENDING).update(status=Status.CANCELLED)
    label = str(Outcome(outcome).label)
    _event(alert, Kind.CLOSED, now, by=by, note=note, detail={"outcome": label})
    record("alerts.safetyalert.close", user=by, obj=alert, detail={"outcome": outcome})
    return alert


def _take(alert: SafetyAlert, by: User, now: dt.datetime) -> None:
    if not alert.is_acknowledged:
        alert.acknowledged_at, alert.acknowledged_by = now, by
    alert.unrouted_since = None


def _event(
    alert: SafetyAlert,
    kind: str,
    at: dt.datetime,
    *,
    by: User | None = None,
    note: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    AlertEvent.objects.create(alert=alert, kind=kind, at=at, by=by, note=note, detail=detail or {})


# The rota


@transaction.atomic
def add_shift(shift: OnCallShift, *, by: User) -> OnCallShift:
    shift.created_by = by
    shift.full_clean()
    shift.save()
    record(
        "alerts.oncallshift.create",
        user=by,
        obj=shift,
        detail={"clinician": shift.clinician_id, "backup": shift.backup_id},
    )
    return shift


@transaction.atomic
def remove_shift(shift: OnCallShift, *, by: User) -> None:
    record(
        "alerts.oncallshift.delete", user=by, obj=shift, detail={"clinician": shift.clinician_id}
    )
    shift.delete()


# The sweep and the heartbeat


def sweep(now: dt.datetime | None = None) -> int:
    """Escalate every alert whose round is due (its task was lost or the worker was down),
    queue again every escalation message a dead worker left, and ask for a heartbeat."""
    now = now or timezone.now()
    due = list(SafetyAlert.objects.due_for_escalation(now).values_list("pk", flat=True))
    for alert_id in due:
        with transaction.atomic():
            alert = _locked(alert_id)
            if alert.is_open and alert.next_escalation_at and alert.next_escalation_at <= now:
                escalate(alert, now)
    stuck = list(Escalation.objects.filter(claimable(now)).values_list("pk", flat=True))
    with transaction.atomic():
        for escalation_id in stuck:
            _queue(escalation_id)
    request_heartbeat(now)
    return len(due)


HEARTBEAT = "worker"


def request_heartbeat(now: dt.datetime) -> None:
    """Queue a heartbeat unless one is already waiting (so an outage queues one, not one
    a minute)."""
    with transaction.atomic():
        beat, _ = WorkerHeartbeat.objects.select_for_update().get_or_create(name=HEARTBEAT)
        waiting = beat.requested_at is not None and (
            beat.beat_at is None or beat.beat_at < beat.requested_at
        )
        if waiting and beat.requested_at and now - beat.requested_at < dt.timedelta(minutes=10):
            return
        beat.requested_at = now
        beat.save(update_fields=["requested_at"])
        enqueue_with_transaction(heartbeat)


@task()
def heartbeat() -> None:
    WorkerHeartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"beat_at": timezone.now()})


def last_beat() -> QuerySet[WorkerHeartbeat, Any]:
    """When the worker last beat, as one value (the staff header reads it as a subquery)."""
    return WorkerHeartbeat.objects.filter(name=HEARTBEAT).values("beat_at")


def worker_is_stale(now: dt.datetime) -> bool:
    return beat_is_stale(last_beat().values_list("beat_at", flat=True).first(), now)


def beat_is_stale(beat: dt.datetime | None, now: dt.datetime) -> bool:
    """True when the worker has not beaten for WORKER_HEARTBEAT_STALE_MINUTES (or never)."""
    limit = dt.timedelta(minutes=settings.WORKER_HEARTBEAT_STALE_MINUTES)
    return beat is None or now - beat > limit
