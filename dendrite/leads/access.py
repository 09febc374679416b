"""The one door to leads: role and location checked, every read audited.

Front desk sees contact details and whether a lead is urgent; nurses and
prescribers also see scores and triage. Clinic admins work the inbox as the front
desk does (contact details, the triage outcome, never the answers); converting a lead
opens a chart, so it stays with the roles that read charts.
"""

from typing import Any

from django.db.models import QuerySet

from dendrite.accounts.access import fetch_for, scope_for
from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.audit.log import record

from .models import Lead

CONVERT_ROLES = frozenset({Role.FRONT_DESK, *CLINICAL_ROLES})
LEAD_ROLES = frozenset({*CONVERT_ROLES, Role.CLINIC_ADMIN})


def get_lead_for(user: User, pk: Any, action: str = "read") -> Lead:
    return fetch_for(
        user,
        Lead.objects.select_related("location", "assignee"),
        pk,
        roles=LEAD_ROLES,
        location_of=lambda lead: lead.location_id,
        action=action,
    )


def leads_for(user: User) -> QuerySet[Lead]:
    """The leads of the user's locations, urgent first (the list itself is audited by the view)."""
    return scope_for(user, Lead.objects.select_related("location")).inbox_order()


def audit_list(user: User, leads: list[Lead]) -> None:
    record("leads.lead.list", user=user, detail={"ids": [lead.pk for lead in leads]})


def sees_clinical_data(user: User) -> bool:
    return user.role in CLINICAL_ROLES
