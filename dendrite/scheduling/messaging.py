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

Every message is written in the patient's language (`language_of`): `compose` renders the
subject and both bodies inside `translation.override`, which is restored afterwards, so
one patient's language never reaches the next message a worker writes.
"""

import base64
import datetime as dt
import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

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


def language_of(patient: Patient) -> str:
    """The language of messages to the patient. Their chosen language is a column of the
    row already loaded; only a patient who never chose one costs the query for the
    language of their lead (Patient.message_language)."""
    return patient.message_language()


def compose(
    patient: Patient, *, subject: str, template: str, context: Mapping[str, object]
) -> tuple[str, str, str]:
    """Subject, e-mail body and text of one message, in the patient's language.

    `subject` is the untranslated wording (gettext_noop), with `%(site)s` for the site's
    name and no patient data; `template` names the pair `<template>_email.txt` and
    `<template>_sms.txt`. The language is active only while these are rendered."""
    with translation.override(language_of(patient)):
        return (
            gettext(subject) % {"site": settings.DENDRITE_SITE_NAME},
            render_to_string(f"{template}_email.txt", dict(context)),
            render_to_string(f"{template}_sms.txt", dict(context)).strip(),
        )


def deliver(
    patient: Patient,
    channel: str,
    *,
    subject: str,
    body: str,
    key: str,
    attachments: Iterable[Attachment] = (),
    to: str = "",
) -> None:
    """Send one message now (in a worker), to the chart's address unless `to` is given.
    Raises whatever the mail server or SMS provider raised."""
    if channel == Channel.SMS:
        sms.get_backend().send(to or patient.phone, body, key=key)
        return
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[to or patient.email],
        headers={"Message-ID": mail.message_id(key)},
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def notify_patient(
    patient: Patient,
    *,
    location: Location,
    subject: str,
    template: str,
    context: Mapping[str, object],
    attachments: Iterable[Attachment] = (),
) -> list[str]:
    """Store and queue a message to `patient` on every channel they consented to and have
    an address for; return those channels (empty: nobody will be told, so staff should).

    The message is written in the patient's language (`compose`: the untranslated
    `subject` and the `template` pair rendered with `context`). The subject must carry no
    patient data ("Your appointment at %(site)s"): it is kept after sending; the bodies
    may. Attachments go with the e-mail only. `location` is the clinic the message is
    from (kept in the audit entry)."""
    channels = channels_for(patient)
    if not channels:
        return []
    subject, email_body, sms_body = compose(
        patient, subject=subject, template=template, context=context
    )
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


CONTACT_CHANGED_SUBJECT = gettext_noop("Your contact details at %(site)s were changed")


def tell_former_addresses(
    patient: Patient, before: Mapping[str, str], *, given: set[str] | None = None
) -> list[str]:
    """Tell the e-mail address and the mobile number the patient had `before` (the
    chart's "email" and "phone" values) that they were changed, if they were: a notice
    without clinical content, in the patient's language, on the channels whose consent
    was in force (`given`, the consent kinds as they were before the change; by default
    as they are now). Stored and queued with the change, each with its idempotency key;
    the worker sends it to the former address. Returns the channels told."""
    given = patient.consented_to(*CONSENT_FOR.values()) if given is None else given
    former = {Channel.EMAIL: before.get("email", ""), Channel.SMS: before.get("phone", "")}
    now = {Channel.EMAIL: patient.email, Channel.SMS: patient.phone}
    told = [
        channel
        for channel, kind in CONSENT_FOR.items()
        if former[channel] and former[channel] != now[channel] and kind in given
    ]
    if not told:
        return []
    context = {
        "site_name": settings.DENDRITE_SITE_NAME,
        "clinic": patient.location,
        "email": former[Channel.EMAIL] != now[Channel.EMAIL],
        "phone": former[Channel.SMS] != now[Channel.SMS],
    }
    subject, email_body, sms_body = compose(
        patient,
        subject=CONTACT_CHANGED_SUBJECT,
        template="scheduling/messages/contact_changed",
        context=context,
    )
    for channel in told:
        message = PatientMessage.objects.create(
            patient=patient,
            location=patient.location,
            channel=channel,
            subject=subject,
            body=email_body if channel == Channel.EMAIL else sms_body,
            former_address=former[channel],
            due_at=timezone.now(),
        )
        _queue(message.pk)
    return told


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


ERASED = {"body": "", "attachments": [], "former_address": "", "claimed_until": None}


@task()
def send_patient_message(message_id: int) -> None:
    now = timezone.now()
    if not _claim(message_id, now):
        return  # sent already, or another worker holds it
    message = PatientMessage.objects.select_related("patient").get(pk=message_id)
    mine = PatientMessage.objects.filter(pk=message_id, status=Status.SENDING)
    if not _may_send(message):
        # Consent withdrawn (or the address removed) since the message was stored.
        mine.update(status=Status.CANCELLED, **ERASED)
        return
    files = [(name, base64.b64decode(data), kind) for name, data, kind in message.attachments]
    try:
        deliver(message.patient, message.channel, subject=message.subject, body=message.body,
                key=message.idempotency_key, attachments=files,
                to=message.former_address)  # fmt: skip
    except Exception as error:
        _failed(message, error, now)
        return
    with transaction.atomic():
        mine.update(status=Status.SENT, sent_at=timezone.now(), last_error="", **ERASED)
        detail = {"channel": message.channel, "location": message.location_id}
        record("scheduling.message.send", obj=message, patient_id=message.patient_id,
               detail=detail)  # fmt: skip


def _may_send(message: PatientMessage) -> bool:
    """The channel's consent still stands; and the chart still has an address for it,
    unless the message goes to a former address (the notice that it changed)."""
    if message.former_address:
        kind = CONSENT_FOR[Channel(message.channel)]
        return kind in message.patient.consented_to(kind)
    return message.channel in channels_for(message.patient)


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
