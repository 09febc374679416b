"""Messages to patients, by e-mail and text, only on the channels they consented to.

`notify_patient` is the one way to tell a patient something (a booking confirmation, a
waitlist offer). It is called inside the transaction that stores what the message is
about and queues one task per channel with it, as dendrite/mail.py does. The task looks
the patient up again when it runs, so a consent withdrawn or an address changed in the
meantime is respected. A failed send is retried with a growing delay.

Reminders have their own task (reminders.py) but send through `deliver` below.
"""

import base64
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone

from dendrite import sms
from dendrite.audit.log import record
from dendrite.clinics.models import Location
from dendrite.mail import message_id, retry_delay
from dendrite.patients.models import Consent, Patient
from dendrite.queue import enqueue_with_transaction

from .models import Channel

logger = logging.getLogger(__name__)

CONSENT_FOR = {Channel.EMAIL: Consent.Kind.EMAIL_MESSAGES, Channel.SMS: Consent.Kind.TEXT_MESSAGES}

# (file name, content, MIME type), as Django's EmailMessage.attach takes them.
Attachment = tuple[str, bytes, str]


def channels_for(patient: Patient) -> list[str]:
    """The channels a patient may be reached on now: the latest consent of that kind is
    given, and there is an address to send to."""
    given = patient.consented_to(*CONSENT_FOR.values())
    address = {Channel.EMAIL: patient.email, Channel.SMS: patient.phone}
    return [channel for channel, kind in CONSENT_FOR.items() if kind in given and address[channel]]


def deliver(
    patient: Patient,
    channel: str,
    *,
    subject: str,
    body: str,
    key: str,
    attachments: Iterable[Attachment] = (),
) -> None:
    """Send one message now (in a worker). Raises whatever the mail server or SMS
    provider raised."""
    if channel == Channel.SMS:
        sms.get_backend().send(patient.phone, body, key=key)
        return
    message = EmailMessage(
        subject=subject, body=body, to=[patient.email], headers={"Message-ID": message_id(key)}
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def notify_patient(
    patient: Patient,
    *,
    location: Location,
    subject: str,
    email_body: str,
    sms_body: str,
    attachments: Iterable[Attachment] = (),
) -> list[str]:
    """Queue a message to `patient` on every channel they consented to and have an
    address for; return those channels (empty: nobody will be told, so staff should).

    `subject` must carry no patient data ("Your appointment at Dendrite"); the bodies
    may. Attachments go with the e-mail only. `location` is the clinic the message is
    from (kept in the audit entry)."""
    channels = channels_for(patient)
    packed = [
        [name, base64.b64encode(content).decode(), mimetype]
        for name, content, mimetype in attachments
    ]
    for channel in channels:
        enqueue_with_transaction(
            send_message,
            patient_id=patient.pk,
            location_id=location.pk,
            channel=channel,
            subject=subject,
            body=email_body if channel == Channel.EMAIL else sms_body,
            attachments=packed if channel == Channel.EMAIL else [],
            key=f"dendrite-message-{uuid.uuid4().hex}",
        )
    return channels


@task()
def send_message(
    patient_id: int,
    location_id: int,
    channel: str,
    subject: str,
    body: str,
    attachments: list[list[str]],
    key: str,
    attempt: int = 1,
) -> None:
    patient = Patient.objects.get(pk=patient_id)
    if channel not in channels_for(patient):
        return  # consent withdrawn (or address removed) since the message was queued
    files = [(name, base64.b64decode(data), mimetype) for name, data, mimetype in attachments]
    try:
        deliver(patient, channel, subject=subject, body=body, key=key, attachments=files)
    except Exception as error:
        logger.warning("Message %s attempt %s failed: %s", key, attempt, type(error).__name__)
        if attempt >= settings.MAIL_RETRY_LIMIT:
            raise
        send_message.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
            patient_id=patient_id,
            location_id=location_id,
            channel=channel,
            subject=subject,
            body=body,
            attachments=attachments,
            key=key,
            attempt=attempt + 1,
        )
        raise
    detail = {"channel": channel, "location": location_id}
    record("scheduling.message.send", object_type="patient", object_id=patient_id,
           patient_id=patient_id, detail=detail)  # fmt: skip
