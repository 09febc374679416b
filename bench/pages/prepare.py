"""What the page benchmark asks for, printed as JSON: a signed-in staff session (password
and second factor, as the test suite's `signed_in` makes it) and the six URLs.

The staff member is the first prescriber of the synthetic network's first location,
"Boston (synthetic)" (`manage.py make_synthetic`; synthetic staff cannot sign in with a
password, so the session is made here, with a TOTP device made for it); on a database
with the demo instead (bench/pages/cpu.py), the demo's prescriber.boston. The pages are
the busiest a person would open at that location: the lead inbox, a patient search by
the most common last name, the chart of the patient with the most visits, the day view
of the day with the most visits, the chairside page of the infusion with the most vital
signs. (The dashboard is timed apart, dashboard.py: at network size it takes longer
than gunicorn's 30 s timeout.)
"""

import json
from typing import Any


def staff() -> Any:
    """The synthetic network's first prescriber at its first location, else the demo's."""
    from dendrite.accounts.models import Role, User
    from dendrite.clinics.models import Location
    from dendrite.demo.synthetic.network import SLUG

    first = Location.objects.filter(organization__slug=SLUG).order_by("pk").first()
    if first is None:
        return User.objects.get(username="prescriber.boston")
    return User.objects.filter(role=Role.PRESCRIBER, locations=first, is_active=True).order_by(
        "pk"
    )[0]


def targets() -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django.db.models.functions import TruncDate
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dendrite.infusions.models import Infusion
    from dendrite.patients.models import Patient
    from dendrite.scheduling.models import Appointment

    user = staff()
    boston = user.locations.get()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:  # synthetic staff have none
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()

    common = (
        Patient.objects.filter(location=boston)
        .values("last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "last_name")
        .first()
    )
    chart = (
        Patient.objects.filter(location=boston)
        .annotate(n=Count("appointments", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    busiest = (
        Appointment.objects.filter(location=boston)
        .annotate(day=TruncDate("starts_at", tzinfo=ZoneInfo(boston.time_zone)))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("-n", "day")
        .first()
    )
    infusion = (
        Infusion.objects.filter(location=boston)
        .annotate(n=Count("vital_signs"))
        .order_by("-n", "-pk")
        .first()
    )
    assert common and chart and busiest and infusion
    day = busiest["day"].isoformat()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "pages": {
            "bare": reverse("bench_bare"),
            "chrome": reverse("bench_chrome"),
            "lead inbox": reverse("leads:inbox"),
            "patient search": reverse("patients:patient_list") + f"?q={common['last_name']}",
            "chart": reverse("patients:chart", args=[chart.pk]),
            "day view": reverse("scheduling:day", args=[boston.pk, day]),
            "chairside": reverse("infusions:chairside", args=[infusion.appointment_id]),
        },
        "patients": Patient.objects.count(),
    }


def main() -> None:
    print("BENCH-TARGETS " + json.dumps(targets()))
