"""What the page benchmark asks for, printed as JSON: a signed-in staff session (password
and second factor, as the test suite's `signed_in` makes it) and the six URLs.

The pages are the busiest a person would open: the lead inbox, a patient search by a
common last name, the chart of the patient with the most rows, the day view of the day
with the most visits at the location, the chairside page of an infusion with vitals.
(The dashboard is timed apart, dashboard.py: at network size it takes longer than
gunicorn's 30 s timeout.)
"""

import json
from typing import Any


def targets() -> dict[str, Any]:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dendrite.accounts.models import User
    from dendrite.infusions.models import Infusion
    from dendrite.patients.models import Patient
    from dendrite.scheduling.models import Appointment

    user = User.objects.get(username="prescriber.boston")
    boston = user.locations.get()
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
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
        .exclude(patient__mrn__startswith="SYN")  # the demo's days, not grow.py's
        .values_list("starts_at", flat=True)
        .order_by("-starts_at")
    )
    days: dict[str, int] = {}
    from django.utils import timezone

    for at in busiest[:5000]:
        day = timezone.localdate(at).isoformat()
        days[day] = days.get(day, 0) + 1
    day = max(sorted(days), key=lambda d: days[d])
    infusion = (
        Infusion.objects.filter(location=boston)
        .annotate(n=Count("vital_signs"))
        .order_by("-n", "-pk")
        .first()
    )
    assert common and chart and infusion
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
