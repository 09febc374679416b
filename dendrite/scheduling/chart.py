"""The schedule's section of the chart: whether infusions may be booked, upcoming visits,
series progress and missed-visit counts, in three queries however long the patient's
history (the gate and the counts share one). The chart (patients) sits below scheduling
and does not import it: SECTION is added to the chart's sections when the app is ready
(apps.py)."""

import functools
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dendrite.links import row_url
from dendrite.patients.chart import Section
from dendrite.patients.models import Patient

from . import gate
from .models import Appointment, Series, Status

UPCOMING_SHOWN = 10
SERIES_SHOWN = 5


# The columns the section shows (Django's work grows with every column read).
UPCOMING_COLUMNS = (
    "starts_at", "status", "series_number", "location__time_zone", "appointment_type__name",
    "series__infusions", "chair__name", "staff__first_name", "staff__last_name",
    "staff__username",
)  # fmt: skip


def _count(**matching: Any) -> Coalesce:
    visits = Appointment.objects.filter(patient=OuterRef("pk"), **matching).order_by()
    return Coalesce(Subquery(visits.values("patient").annotate(n=Count("pk")).values("n")), 0)


@functools.cache
def _gate_and_counts() -> QuerySet[Patient, dict[str, Any]]:
    """The booking gate's row of the patient with their no-shows and late cancellations,
    built once per process (each chart filters a copy)."""
    return gate.rows().annotate(
        no_shows=_count(status=Status.NO_SHOW),
        late_cancels=_count(status=Status.CANCELLED, late_cancel=True),
    )


@functools.cache
def _series() -> QuerySet[Series]:
    """Built once per process (each chart filters a copy): resolving the count's join
    anew every time costs more than running it."""
    done = Count("appointments", filter=Q(appointments__status=Status.DONE))
    return Series.objects.annotate(done=done).order_by("-created_at", "-id")


def patient_schedule(patient: Patient, viewer: Any) -> dict[str, Any]:
    """Names, times and visit types only: front desk sees this section too (and the
    gate's reasons in the words for their role)."""
    upcoming = (
        patient.appointments.upcoming()
        .select_related("location", "appointment_type", "staff", "chair", "series")
        .only(*UPCOMING_COLUMNS)
    )
    series = _series().filter(patient=patient)
    url = row_url("scheduling:appointment")
    row = _gate_and_counts().get(pk=patient.pk)
    return {
        "patient": patient,
        "gate": gate.reasons(gate.unmet_in(row), patient.pk, viewer),
        "upcoming": [(visit, url(visit.pk)) for visit in upcoming[:UPCOMING_SHOWN]],
        "series": list(series[:SERIES_SHOWN]),
        "no_shows": row["no_shows"],
        "late_cancels": row["late_cancels"],
    }


SECTION = Section(
    anchor="schedule",
    title="Schedule",
    template="scheduling/_patient_schedule.html",
    context=patient_schedule,
)
