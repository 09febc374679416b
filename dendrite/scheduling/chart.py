"""The schedule's section of the chart: whether infusions may be booked, upcoming visits,
series progress and missed-visit counts, in four queries however long the patient's
history. The chart (patients) sits below scheduling and does not import it: SECTION is
added to the chart's sections when the app is ready (apps.py)."""

from typing import Any

from django.db.models import Count, Q

from dendrite.patients.chart import Section
from dendrite.patients.models import Patient

from . import gate
from .models import Status

UPCOMING_SHOWN = 10
SERIES_SHOWN = 5


def patient_schedule(patient: Patient, viewer: Any) -> dict[str, Any]:
    """Names, times and visit types only: front desk sees this section too (and the
    gate's reasons in the words for their role)."""
    upcoming = patient.appointments.upcoming().select_related(
        "location", "appointment_type", "staff", "chair", "series"
    )
    done = Count("appointments", filter=Q(appointments__status=Status.DONE))
    series = patient.series.annotate(done=done).order_by("-created_at", "-id")
    counts = patient.appointments.aggregate(
        no_shows=Count("pk", filter=Q(status=Status.NO_SHOW)),
        late_cancels=Count("pk", filter=Q(status=Status.CANCELLED, late_cancel=True)),
    )
    return {
        "patient": patient,
        "gate": gate.reasons(gate.unmet(patient), patient.pk, viewer),
        "upcoming": list(upcoming[:UPCOMING_SHOWN]),
        "series": list(series[:SERIES_SHOWN]),
        **counts,
    }


SECTION = Section(
    anchor="schedule",
    title="Schedule",
    template="scheduling/_patient_schedule.html",
    context=patient_schedule,
)
