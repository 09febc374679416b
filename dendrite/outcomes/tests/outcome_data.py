"""Scores and infusion visits written straight to the tables, for the outcome tests."""

import datetime as dt
from typing import Any

from dendrite.instruments import scoring
from dendrite.patients.models import Patient, QuestionnaireResponse
from dendrite.scheduling.models import Appointment, AppointmentType, Kind, Status


def add_score(patient: Patient, at: dt.datetime, total: int, instrument: str = "phq-9"):
    bands = {"phq-9": scoring.PHQ9_BANDS, "gad-7": scoring.GAD7_BANDS}
    band = scoring.band_for(total, bands[instrument]).slug if instrument in bands else ""
    return QuestionnaireResponse.objects.create(
        patient=patient,
        instrument=instrument,
        version="1",
        answers={},
        total=total,
        band=band,
        authored_at=at,
        source="clinic",
    )


def add_infusion_visit(patient: Patient, at: dt.datetime, staff: Any) -> Appointment:
    """An infusion visit marked done (the chart reads it as an infusion given)."""
    kind = AppointmentType.objects.get(location=patient.location, kind=Kind.INFUSION)
    return Appointment.objects.create(
        patient=patient,
        location=patient.location,
        appointment_type=kind,
        staff=staff,
        chair=patient.location.chairs.first(),
        starts_at=at,
        staff_ends_at=at + dt.timedelta(minutes=kind.staff_minutes),
        ends_at=at + dt.timedelta(minutes=kind.visit_minutes),
        booked_by=staff,
        status=Status.DONE,
    )
