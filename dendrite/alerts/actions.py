"""Raising, acknowledging and escalating safety alerts: each one transaction, audited."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dendrite.accounts.models import Role, User
from dendrite.audit.log import record
from dendrite.clinics.models import Location
from dendrite.mail import send_later

from . import timing
from .models import Action, SafetyAlert

logger = logging.getLogger(__name__)


def due_time(location: Location, raised_at: dt.datetime) -> dt.datetime:
    hours = [(h.weekday, h.opens, h.closes) for h in location.opening_hours.all()]
    today = raised_at.astimezone(location.tz).date()
    closures = [(c.start_date, c.end_date) for c in location.closures.filter(end_date__gte=today)]
    minutes = settings.SAFETY_ALERT_ESCALATION_MINUTES
    return timing.escalation_due(raised_at, minutes, location.tz, hours, closures)


@transaction.atomic
def raise_alert(*, location: Location, flags: list[str], source: str, **about: Any) -> SafetyAlert:
    """Store the alert and queue its escalation check, in the same transaction."""
    now = timezone.now()
    alert = SafetyAlert.objects.create(
        location=location,
        flags=list(flags),
        source=source,
        escalate_at=due_time(location, now),
        **about,
    )
    record("alerts.safetyalert.raise", obj=alert, detail={"flags": alert.flags, "source": source})
    escalate_if_unacknowledged.using(run_after=alert.escalate_at).enqueue(alert.pk)
    return alert


@transaction.atomic
def acknowledge(alert: SafetyAlert, *, by: User, action: str, note: str) -> SafetyAlert:
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if not alert.is_open:
        return alert  # a colleague got there first; their record stands
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = by
    alert.action = Action(action)
    alert.note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "action", "note"])
    record("alerts.safetyalert.acknowledge", user=by, obj=alert, detail={"action": action})
    return alert


def escalation_recipients(location: Location) -> list[str]:
    """The location's on-call prescriber(s) and its clinic admins."""
    people = User.objects.filter(locations=location, is_active=True).filter(
        role__in=[Role.PRESCRIBER, Role.CLINIC_ADMIN]
    )
    on_call = [u for u in people if u.role == Role.CLINIC_ADMIN or u.is_on_call]
    addresses = sorted({u.email for u in on_call if u.email})
    # Nobody on call with an address: the location's own inbox, rather than no one.
    return addresses or ([location.email] if location.email else [])


@task()
def escalate_if_unacknowledged(alert_id: int) -> str:
    """Runs at the alert's escalation time; does nothing if it was acknowledged."""
    with transaction.atomic():
        alert = SafetyAlert.objects.select_for_update().select_related("location").get(pk=alert_id)
        if not alert.is_open:
            return "acknowledged"
        if alert.escalated_at is not None:
            return "already escalated"
        alert.escalated_at = timezone.now()
        alert.save(update_fields=["escalated_at"])
        to = escalation_recipients(alert.location)
        if not to:
            logger.error("Safety alert %s has no one to escalate to", alert.pk)
        context = {
            "alert": alert,
            "url": settings.SITE_URL + reverse("alerts:acknowledge", args=[alert.pk]),
            "minutes": settings.SAFETY_ALERT_ESCALATION_MINUTES,
        }
        send_later(
            f"URGENT: safety alert at {alert.location.name} not yet acknowledged",
            render_to_string("alerts/email/escalation.txt", context),
            to,
        )
        record("alerts.safetyalert.escalate", obj=alert, detail={"recipients": len(to)})
    return "escalated"
