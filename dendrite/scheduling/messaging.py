"""Messages to patients, by e-mail and text, only on the channels they consented to.

`notify_patient` is the one way to tell a patient something (a booking confirmation, a
waitlist offer). It is called inside the transaction that stores what the message is
about: it stores one PatientMessage row per consented channel and queues a task that
carries only the row's id (dendrite/queue.py), so no body, address or attachment ever
sits in the task queue.

Exactly once, as the reminders and dendrite/mail.py do it:

1. `send_patient_message` claims the row with one conditional UPDATE (pending and due,
   or sending with an expired lease). Only the worker whose UPDATE changed the row sends.
2. It looks the patient up again: a consent withdrawn or an address removed in the
   meantime stops the message; a changed address is the one used.
3. It sends with the row's idempotency key (the SMS provider's key; the e-mail's
   Message-ID), the same for every try, so a repeat after a crash is one message.
4. It marks the row sent and erases the body and the attachments.

A failed send goes back to pending with a growing delay, and to failed after
MAIL_RETRY_LIMIT tries; failed and stuck messages are on the staff page of sends that
need a hand (views/sending.py). A worker killed mid-send leaves the row "sending"; the
sweep (`manage.py send_due_reminders`, every minute from cron) queues it again once the
lease ends.

Reminders have their own rows and task (reminders.py) but send through `deliver` below.
"""

import base64
import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from dendrite import mail, queue, sms
from dendrite.audit.log import record
from dendrite.clinics.models import Location
from dendrite.patients.models import Consent, Patient
from dendrite.queue import enqueue_with_transaction, retry_delay

from .models import Channel, PatientMessage

logger = logging.getLogger(__name__)
Status = PatientMessage.Status
# A due message no worker has picked up for this long is shown to staff as stuck.
STUCK_AFTER = dt.timedelta(minutes=10)
# Staff see a message that needs a hand for this long: a confirmation or an offer older
# than a week is no longer news, and the appointment itself shows what stands.
SHOWN_FOR = dt.timedelta(days=7)

CONSENT_FOR = {Channel.EMAIL: Consent.Kind.EMAIL_MESSAGES, Channel.SMS: Consent.Kind.TEXT_MESSAGES}

# (file name, content, MIME type), as Django's EmailMessage.attach takes them.
Attachment = tuple[str, bytes, str]


def channels_for(patient: Patient) -> list[str]:
    """The channels a patient may be reached on now: the latest consent of that kind is
    given, and there is an address to send to."""
    given = patient.consented_to(*CONSENT_FOR.values())
    address = {Channel.EMAIL: patient.email, Channel.SMS: patient.phone}
    return [channel for channel, kind in CONSENT_FOR.items() if kind in given and address[channel]]


def reachable_ids(patients: Iterable[Patient]) -> set[int]:
    """Of these patients, the ids of those with at least one channel (as channels_for),
    in one query however many there are."""
    people = {patient.pk: patient for patient in patients}
    latest: dict[tuple[int, str], str] = {}
    consents = Consent.objects.filter(patient_id__in=people, kind__in=CONSENT_FOR.values())
    for patient_id, kind, status in consents.order_by("date", "id").values_list(
        "patient_id", "kind", "status"
    ):
        latest[(patient_id, kind)] = status
    return {
        pk
        for pk, patient in people.items()
        for channel, kind in CONSENT_FOR.items()
        if latest.get((pk, kind)) == Consent.Status.GIVEN
        and (patient.email if channel == Channel.EMAIL else patient.phone)
    }


def why_unreachable(patient: Patient) -> list[str]:
    """Why each channel cannot be used, in staff's words (empty if one can)."""
    if channels_for(patient):
        return []
    latest = {kind: "" for kind in CONSENT_FOR.values()}
    for kind, status in (
        patient.consents.filter(kind__in=latest)
        .order_by("date", "id")
        .values_list("kind", "status")
    ):
        latest[kind] = status
    reasons = []
    for channel, kind in CONSENT_FOR.items():
        address = patient.email if channel == Channel.EMAIL else patient.phone
        name = "E-mail" if channel == Channel.EMAIL else "Text messages"
        consent = {"": "not asked yet", Consent.Status.WITHDRAWN: "withdrawn"}.get(latest[kind])
        missing = "no e-mail address" if channel == Channel.EMAIL else "no mobile number"
        problems = [f"consent {consent}"] if consent else []
        problems += [] if address else [missing]
        reasons.append(f"{name}: {' and '.join(problems)}.")
    return reasons


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
        subject=subject, body=body, to=[patient.email], headers={"Message-ID": mail.message_id(key)}
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
    """Store and queue a message to `patient` on every channel they consented to and have
    an address for; return those channels (empty: nobody will be told, so staff should).

    `subject` must carry no patient data ("Your appointment at Dendrite"): it is kept
    after sending; the bodies may. Attachments go with the e-mail only. `location` is the
    clinic the message is from (kept in the audit entry)."""
    channels = channels_for(patient)
    packed = [
        [name, base64.b64encode(content).decode(), mimetype]
        for name, content, mimetype in attachments
    ]
    now = timezone.now()
    for channel in channels:
        email = channel == Channel.EMAIL
        message = PatientMessage.objects.create(
            patient=patient,
            location=location,
            channel=channel,
            subject=subject,
            body=email_body if email else sms_body,
            attachments=packed if email else [],
            due_at=now,
        )
        _queue(message.pk)
    return channels


def _queue(message_id: int, at: dt.datetime | None = None) -> None:
    enqueue_with_transaction(send_patient_message, at=at, message_id=message_id)


def claimable(now: dt.datetime) -> Q:
    return queue.claimable(now)


def _claim(message_id: int, now: dt.datetime) -> bool:
    return queue.claim(
        PatientMessage.objects.all(),
        message_id,
        now,
        lease_seconds=settings.SCHEDULING_REMINDER_LEASE_SECONDS,
    )


ERASED = {"body": "", "attachments": [], "claimed_until": None}


@task()
def send_patient_message(message_id: int) -> None:
    now = timezone.now()
    if not _claim(message_id, now):
        return  # sent already, or another worker holds it
    message = PatientMessage.objects.select_related("patient").get(pk=message_id)
    mine = PatientMessage.objects.filter(pk=message_id, status=Status.SENDING)
    if message.channel not in channels_for(message.patient):
        # Consent withdrawn (or the address removed) since the message was stored.
        mine.update(status=Status.CANCELLED, **ERASED)
        return
    files = [(name, base64.b64decode(data), kind) for name, data, kind in message.attachments]
    try:
        deliver(message.patient, message.channel, subject=message.subject, body=message.body,
                key=message.idempotency_key, attachments=files)  # fmt: skip
    except Exception as error:
        _failed(message, error, now)
        return
    with transaction.atomic():
        mine.update(status=Status.SENT, sent_at=timezone.now(), last_error="", **ERASED)
        detail = {"channel": message.channel, "location": message.location_id}
        record("scheduling.message.send", obj=message, patient_id=message.patient_id,
               detail=detail)  # fmt: skip


def _failed(message: PatientMessage, error: Exception, now: dt.datetime) -> None:
    error_name, give_up = queue.describe(error)  # never a foreign message: it may hold an address
    mine = PatientMessage.objects.filter(pk=message.pk, status=Status.SENDING)
    with transaction.atomic():
        if give_up or message.attempts >= settings.MAIL_RETRY_LIMIT:
            logger.error("Patient message %s gave up after %s attempts: %s",
                         message.pk, message.attempts, error_name)  # fmt: skip
            mine.update(status=Status.FAILED, claimed_until=None, last_error=error_name)
            return
        logger.warning("Patient message %s attempt %s failed (%s); retrying",
                       message.pk, message.attempts, error_name)  # fmt: skip
        later = now + retry_delay(message.attempts)
        if mine.update(
            status=Status.PENDING, due_at=later, claimed_until=None, last_error=error_name
        ):
            _queue(message.pk, later)


def sweep(now: dt.datetime | None = None) -> int:
    """Queue again every message a worker should have sent by now (its task was lost, or
    its worker died holding the claim). Extra tasks are harmless: only one claims."""
    now = now or timezone.now()
    ids = list(PatientMessage.objects.filter(claimable(now)).values_list("pk", flat=True))
    with transaction.atomic():
        for pk in ids:
            _queue(pk)
    return len(ids)


def needs_attention(now: dt.datetime) -> Q:
    """Failed, retrying after an error, due long ago and not picked up, or held by a
    worker that stopped, in the last week: the messages staff should know about."""
    return Q(created_at__gt=now - SHOWN_FOR) & (
        Q(status=Status.FAILED)
        | Q(status=Status.PENDING, attempts__gt=0)
        | Q(status=Status.PENDING, due_at__lt=now - STUCK_AFTER)
        | Q(status=Status.SENDING, claimed_until__lt=now)
    )
