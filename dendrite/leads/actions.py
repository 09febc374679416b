"""Writes to leads: each runs in one transaction, audits, and enqueues its notifications."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from dendrite.alerts.actions import raise_alert
from dendrite.audit.log import record
from dendrite.mail import send_later

from .models import Lead, Outcome, Source


def staff_addresses(lead: Lead) -> list[str]:
    return [lead.location.email] if lead.location.email else []


def notify_staff(lead: Lead) -> None:
    """Tell the location's inbox a lead is waiting. No personal data in the e-mail."""
    to = staff_addresses(lead)
    if not to:
        return
    context = {"lead": lead, "url": settings.SITE_URL + reverse("leads:detail", args=[lead.pk])}
    kind = "self-screening" if lead.source == Source.SCREENING else "inquiry"
    subject = (
        f"URGENT: a {kind} needs a call back today"
        if lead.urgent
        else f"New {kind} for {lead.location.name}"
    )
    send_later(subject, render_to_string("leads/email/staff_notification.txt", context), to)


@transaction.atomic
def create_lead(**fields: Any) -> Lead:
    """Store a new lead and queue the staff notification, all or nothing."""
    lead = Lead(**fields)
    lead.urgent = lead.urgent or lead.triage_outcome == Outcome.URGENT_SAFETY
    lead.full_clean()
    lead.save()
    record("leads.lead.create", obj=lead, detail={"source": lead.source, "urgent": lead.urgent})
    notify_staff(lead)
    if lead.flags:
        raise_alert(location=lead.location, flags=lead.flags, source=lead.source, lead=lead)
    return lead


@transaction.atomic
def update_screening_lead(lead: Lead, **fields: Any) -> Lead:
    """Refresh a screening's lead as the person goes on; escalate it the moment it turns urgent."""
    was_urgent, had_flags = lead.urgent, list(lead.flags)
    for name, value in fields.items():
        setattr(lead, name, value)
    lead.flags = list(dict.fromkeys([*had_flags, *lead.flags]))  # a safety flag is never dropped
    lead.urgent = lead.urgent or lead.triage_outcome == Outcome.URGENT_SAFETY
    lead.full_clean()
    lead.save()
    record("leads.lead.update", obj=lead, detail={"fields": sorted(fields)})
    if lead.urgent and not was_urgent:
        notify_staff(lead)
    new_flags = [flag for flag in lead.flags if flag not in had_flags]
    if new_flags:
        raise_alert(location=lead.location, flags=lead.flags, source=lead.source, lead=lead)
    return lead
