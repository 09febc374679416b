"""The chart's portal section: whether the patient has an account, the last invitation,
and the button to invite them (front desk and clinicians). The chart (patients) sits
below the portal: SECTION is added in apps.py."""

from typing import Any

from dendrite.patients.chart import Section
from dendrite.patients.models import Patient
from dendrite.scheduling.messaging import channels_for

from .models import PortalAccount


def portal_section(patient: Patient, viewer: Any) -> dict[str, Any]:
    account = PortalAccount.objects.filter(patient=patient).first()
    return {
        "patient": patient,
        "account": account,
        "invitation": account.invitations.first() if account else None,
        "reachable": bool(channels_for(patient)),
    }


SECTION = Section(
    anchor="portal",
    title="Patient portal",
    template="portal/_chart_section.html",
    context=portal_section,
)
