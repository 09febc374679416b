"""Words for the patient's own screens: which browser a session is, and where a code
goes, shown half hidden ("a•••@example.test", "•••• 0142")."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dendrite.patients.models import Patient
from dendrite.scheduling.messaging import channels_for
from dendrite.scheduling.models import Channel

BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
            ("Safari/", "Safari"))  # fmt: skip
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
           ("Windows", "Windows"), ("Mac OS", "Mac"), ("Linux", "Linux"))  # fmt: skip


def label(request: HttpRequest) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")
    browser = next((name for mark, name in BROWSERS if mark in agent), "")
    system = next((name for mark, name in SYSTEMS if mark in agent), "")
    return " · ".join(part for part in (browser, system) if part)


def mask_email(address: str) -> str:
    name, _at, domain = address.partition("@")
    return f"{name[:1]}•••@{domain}"


def mask_phone(number: str) -> str:
    return f"•••• {number[-4:]}"


def masked(patient: Patient) -> list[str]:
    """Where a code for this patient goes, half hidden."""
    shown = []
    for channel in channels_for(patient):
        if channel == Channel.EMAIL:
            shown.append(_("by e-mail to %(address)s") % {"address": mask_email(patient.email)})
        else:
            shown.append(_("by text message to %(number)s") % {"number": mask_phone(patient.phone)})
    return shown
