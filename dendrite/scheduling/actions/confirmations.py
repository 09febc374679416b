"""When a booking's confirmation could not be sent (no channel the patient consented to):
record the consent the patient gives at the desk, then send what was missed."""

import datetime as dt

from django.db import transaction

from dendrite.accounts.models import User
from dendrite.audit.log import record
from dendrite.patients import actions as patient_actions
from dendrite.patients.models import Consent

from .. import messaging
from ..models import Appointment, Channel
from ..reminders import send_confirmation
from . import reminders


@transaction.atomic
def record_consent_and_confirm(
    appointment: Appointment, *, channel: str, given_by: str, date: dt.date, by: User
) -> list[str]:
    """Record consent to be contacted on `channel` (through the chart's consent action),
    then send this appointment's confirmation and the reminders of the patient's coming
    appointments that have none. Returns the channels the patient can now be reached on."""
    patient = appointment.patient
    consent = Consent(
        patient=patient,
        kind=messaging.CONSENT_FOR[Channel(channel)],
        status=Consent.Status.GIVEN,
        date=date,
    )
    patient_actions.save_entry(consent, by=by)
    record(
        "scheduling.appointment.contact_consent", user=by, obj=appointment,
        patient_id=patient.pk, detail={"channel": channel, "given_by": given_by},
    )  # fmt: skip
    upcoming = list(
        patient.appointments.upcoming()
        .filter(reminders__isnull=True)
        .select_related("patient", "location", "appointment_type")
    )
    reminders.schedule_reminders(upcoming)
    send_confirmation([appointment])
    return messaging.channels_for(patient)
