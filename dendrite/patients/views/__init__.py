"""The chart's screens, one module per screen or section.

Every view has the same shape: the access helper (role, location, audit), a form,
one action from patients.actions, then a redirect or a render.
"""

from django.urls import reverse

from ..models import Patient


def section_url(patient: Patient, section: str) -> str:
    """The chart, scrolled to one of its sections."""
    return reverse("patients:chart", args=[patient.pk]) + f"#{section}"
