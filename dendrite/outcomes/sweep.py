"""What the sweep sends: for each organisation's plan, the visits starting within its lead
time that have no request yet, and the check-ins whose day has come. Each is sent in its
own transaction (actions.py); a visit or check-in that has its request is skipped by the
database's unique constraints, so running this twice, or on two machines, sends once."""

import datetime as dt

from django.db.models import Exists, Max, OuterRef, Q

from dendrite.clinics.models import Organization
from dendrite.scheduling.models import RELEASED, Appointment, Series

from . import actions, cadence, plans
from .models import MeasurementPlan, QuestionnaireRequest


def send_due(now: dt.datetime) -> int:
    sent = 0
    for organization in Organization.objects.all():
        plan = plans.plan_for(organization)
        sent += _visits(plan, now) + _check_ins(plan, now)
    return sent


def _visits(plan: MeasurementPlan, now: dt.datetime) -> int:
    has_request = QuestionnaireRequest.objects.filter(appointment=OuterRef("pk"))
    visits = (
        Appointment.objects.filter(
            location__organization_id=plan.organization_id,
            appointment_type__kind__in=plans.MEASURED_KINDS,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=plan.send_hours_before),
        )
        .exclude(status__in=RELEASED)
        .exclude(Exists(has_request))
        .select_related("patient__organization", "location", "appointment_type")
        .order_by("starts_at", "pk")
    )
    return sum(actions.send_pre_visit(visit, plan) is not None for visit in visits)


def _check_ins(plan: MeasurementPlan, now: dt.datetime) -> int:
    """Series whose last infusion is far enough back for a check-in to be due now."""
    days = plan.check_in_day_list
    oldest = now - dt.timedelta(days=max(days) + plan.check_in_valid_days + 1)
    newest = now - dt.timedelta(days=min(days))
    held = ~Q(appointments__status__in=RELEASED)
    series = (
        Series.objects.filter(location__organization_id=plan.organization_id)
        .annotate(last=Max("appointments__starts_at", filter=held))
        .filter(last__gte=oldest, last__lte=newest)
        .select_related("patient__organization", "location")
    )
    sent = 0
    for one in series:
        end = one.last.astimezone(one.location.tz).date()
        today = now.astimezone(one.location.tz).date()
        asked = set(
            QuestionnaireRequest.objects.filter(series=one).values_list("check_in_day", flat=True)
        )
        for day in cadence.check_ins_due(end, days, today, plan.check_in_valid_days):
            if day not in asked and actions.send_check_in(one, day, plan, now) is not None:
                sent += 1
    return sent
