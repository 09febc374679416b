"""The chart's portal section: whether the patient has signed in to the portal, the last
invitation, and the button to invite them (front desk and clinicians). One query (the
account with its latest invitation); without a consented channel the invitation itself
says so. The chart (patients) sits below the portal: SECTION is added in apps.py."""

from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from dendrite.patients.chart import Section
from dendrite.patients.models import Patient

from .models import Invitation, PortalAccount


def portal_section(patient: Patient, viewer: Any) -> dict[str, Any]:
    invitations = Invitation.objects.filter(account=OuterRef("pk")).order_by("-created_at", "-id")
    usable = invitations.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    account = (
        PortalAccount.objects.filter(patient=patient)
        .annotate(
            invited_at=Subquery(invitations.values("created_at")[:1]),
            open_until=Subquery(usable.values("expires_at")[:1]),
        )
        .first()
    )
    if account is not None:  # a usable invitation has an expiry: one subquery says both
        account.invitation_open = account.open_until is not None  # type: ignore[attr-defined]
    return {"patient": patient, "account": account}


SECTION = Section(
    anchor="portal",
    title="Patient portal",
    template="portal/_chart_section.html",
    context=portal_section,
)
