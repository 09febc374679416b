"""What changes in the portal: invitations, codes, sessions, passkeys, and what a
signed-in patient does to their appointments. Each runs in one transaction and writes
its audit entry; messages go out through scheduling.messaging.notify_patient (the
consented channels, the patient's language, queued with the data).

The audit trail names the patient's own acts "patient-portal" (PORTAL) with the
patient's id; staff acts carry the staff user."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from dendrite.accounts.models import Role, User
from dendrite.audit.log import record
from dendrite.clinics.hours import closing_after_open_days
from dendrite.outcomes.models import BoosterApproval
from dendrite.patients import filetypes
from dendrite.patients.models import Consent, Patient
from dendrite.scheduling import actions as scheduling
from dendrite.scheduling.actions.appointments import TAKEN
from dendrite.scheduling.messaging import (
    CONSENT_FOR,
    channels_for,
    notify_patient,
    tell_former_addresses,
)
from dendrite.scheduling.models import Appointment, Kind
from dendrite.worklist.actions import open_task
from dendrite.worklist.models import Kind as TaskKind

from . import booking, secrets
from .models import (
    Conversation,
    Invitation,
    Message,
    Passkey,
    PortalAccount,
    PortalSession,
    SignInCode,
)

PORTAL = "patient-portal"
# Subjects carry no patient data (they are kept after sending).
INVITATION_SUBJECT = gettext_noop("Your invitation to the %(site)s patient portal")
CODE_SUBJECT = gettext_noop("Your %(site)s sign-in code")
REPLY_SUBJECT = gettext_noop("A new message from your clinic")


class NoChannel(Exception):
    """The patient has no consented channel with an address: nothing was sent."""


class CodeRefused(Exception):
    """A code that is wrong, expired, used up, or for a locked account."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "wrong", "expired", "locked"


def _site_context(patient: Patient, **extra: object) -> dict[str, object]:
    return {"site_name": settings.DENDRITE_SITE_NAME, "clinic": patient.location} | extra


def _send(patient: Patient, subject: str, template: str, context: dict[str, object]) -> list[str]:
    """To the patient on each consented channel, in their language; no patient data in
    the subject."""
    return notify_patient(
        patient,
        location=patient.location,
        subject=subject,
        template=f"portal/messages/{template}",
        context=context,
    )


# Invitations (staff)


def invite(patient: Patient, *, by: User) -> tuple[Invitation, list[str]]:
    """A new invitation (any earlier unused one stops working), sent to the patient on
    the channels they consented to. Without a channel nothing changes (NoChannel)."""
    if not channels_for(patient):
        raise NoChannel
    token = secrets.new_invitation_token()
    now = timezone.now()
    with transaction.atomic():
        account, _created = PortalAccount.objects.get_or_create(patient=patient)
        Invitation.objects.filter(account=account, used_at__isnull=True).update(revoked_at=now)
        invitation = Invitation.objects.create(
            account=account,
            token_hash=secrets.hash_token(token),
            created_by=by,
            expires_at=now + dt.timedelta(days=settings.PORTAL_INVITATION_DAYS),
        )
        url = settings.SITE_URL + reverse("portal:welcome_link", args=[token])
        context = _site_context(patient, url=url, days=settings.PORTAL_INVITATION_DAYS)
        channels = _send(patient, INVITATION_SUBJECT, "invitation", context)  # fmt: skip
        Invitation.objects.filter(pk=invitation.pk).update(channels=channels)
        record("portal.invitation.send", user=by, obj=invitation, patient_id=patient.pk,
               detail={"channels": channels})  # fmt: skip
    return invitation, channels


def revoke_invitations(account: PortalAccount, *, by: User) -> int:
    with transaction.atomic():
        count = Invitation.objects.filter(
            account=account, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        record("portal.invitation.revoke", user=by, obj=account, patient_id=account.patient_id,
               detail={"count": count})  # fmt: skip
    return count


# Codes


def send_code(account: PortalAccount, *, invitation: Invitation | None = None) -> SignInCode:
    """A fresh code (earlier ones stop working), sent on the consented channels."""
    code = secrets.new_code()
    now = timezone.now()
    patient = account.patient
    with transaction.atomic():
        SignInCode.objects.filter(account=account, used_at__isnull=True).update(used_at=now)
        row = SignInCode.objects.create(
            account=account,
            invitation=invitation,
            code_hash=secrets.hash_code(account.pk, code),
            expires_at=now + dt.timedelta(minutes=settings.PORTAL_CODE_MINUTES),
        )
        context = _site_context(patient, code=code, minutes=settings.PORTAL_CODE_MINUTES)
        channels = _send(patient, CODE_SUBJECT, "code", context)
        SignInCode.objects.filter(pk=row.pk).update(channels=channels)
        record("portal.code.send", username=PORTAL, obj=row, patient_id=patient.pk,
               detail={"channels": channels})  # fmt: skip
    row.channels = channels
    return row


def check_code(row: SignInCode, entered: str) -> PortalAccount:
    """The account the code signs in to, or CodeRefused. Each wrong try counts against the
    code (PORTAL_CODE_ATTEMPTS) and the account (PORTAL_LOCKOUT_FAILURES in a row lock it
    for PORTAL_LOCKOUT_MINUTES); a right code is used once."""
    now = timezone.now()
    with transaction.atomic():
        row = SignInCode.objects.select_for_update().select_related("account").get(pk=row.pk)
        account = PortalAccount.objects.select_for_update().get(pk=row.account_id)
        patient_id = account.patient_id
        if account.is_locked():
            record("portal.code.refused", username=PORTAL, obj=row, patient_id=patient_id,
                   outcome="denied", detail={"reason": "locked"})  # fmt: skip
            raise CodeRefused("locked")
        usable = (
            row.used_at is None
            and row.expires_at > now
            and row.attempts < settings.PORTAL_CODE_ATTEMPTS
        )
        if usable and secrets.code_matches(account.pk, entered.strip(), row.code_hash):
            SignInCode.objects.filter(pk=row.pk).update(used_at=now)
            account.failed_codes = 0
            account.activated_at = account.activated_at or now
            account.save(update_fields=["failed_codes", "activated_at"])
            if row.invitation_id:
                Invitation.objects.filter(pk=row.invitation_id).update(used_at=now)
            return account
        SignInCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        account.failed_codes += 1
        if account.failed_codes >= settings.PORTAL_LOCKOUT_FAILURES:
            account.locked_until = now + dt.timedelta(minutes=settings.PORTAL_LOCKOUT_MINUTES)
            account.failed_codes = 0
        account.save(update_fields=["failed_codes", "locked_until"])
        reason = "wrong" if usable else "expired"
        record("portal.code.refused", username=PORTAL, obj=row, patient_id=patient_id,
               outcome="denied", detail={"reason": reason})  # fmt: skip
    if account.is_locked():
        raise CodeRefused("locked")
    raise CodeRefused(reason)


def mark_invitation_opened(invitation: Invitation) -> None:
    record("portal.invitation.open", username=PORTAL, obj=invitation,
           patient_id=invitation.account.patient_id)  # fmt: skip


# Sessions


def start_session(account: PortalAccount, *, how: str, device: str) -> tuple[PortalSession, str]:
    """A new signed-in browser; returns the session and the secret the browser keeps."""
    secret = secrets.new_session_secret()
    with transaction.atomic():
        session = PortalSession.objects.create(
            account=account,
            secret_hash=secrets.hash_session_secret(secret),
            how=how,
            device=device[:120],
        )
        record("portal.sign_in", username=PORTAL, obj=session, patient_id=account.patient_id,
               detail={"how": how})  # fmt: skip
    return session, secret


def end_session(session: PortalSession, *, reason: str = "sign_out") -> None:
    with transaction.atomic():
        PortalSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        record("portal.sign_out", username=PORTAL, obj=session,
               patient_id=session.account.patient_id, detail={"reason": reason})  # fmt: skip


def end_every_session(account: PortalAccount) -> int:
    """Sign out everywhere (this browser too)."""
    with transaction.atomic():
        count = PortalSession.objects.live().filter(account=account).update(ended_at=timezone.now())
        record("portal.sign_out_everywhere", username=PORTAL, obj=account,
               patient_id=account.patient_id, detail={"count": count})  # fmt: skip
    return count


# Passkeys


def add_passkey(
    account: PortalAccount, *, credential_id: str, public_key: bytes, sign_count: int, name: str
) -> Passkey:
    with transaction.atomic():
        passkey = Passkey.objects.create(
            account=account,
            credential_id=credential_id,
            public_key=public_key,
            sign_count=sign_count,
            name=name[:60],
        )
        record("portal.passkey.add", username=PORTAL, obj=passkey,
               patient_id=account.patient_id)  # fmt: skip
    return passkey


def passkey_used(passkey: Passkey, sign_count: int) -> None:
    Passkey.objects.filter(pk=passkey.pk).update(sign_count=sign_count,
                                                 last_used_at=timezone.now())  # fmt: skip


def remove_passkey(passkey: Passkey) -> None:
    with transaction.atomic():
        record("portal.passkey.remove", username=PORTAL, obj=passkey,
               patient_id=passkey.account.patient_id)  # fmt: skip
        passkey.delete()


# Appointments (the patient's own, found through access.py)


def confirm(appointment: Appointment) -> Appointment:
    """As the reminder link does it (scheduling's own rule and audit entry)."""
    return scheduling.confirm_by_patient(appointment)


def cancel(appointment: Appointment, *, reason: str) -> Appointment:
    return scheduling.cancel_by_patient(appointment, reason=reason)


def _when(appointment: Appointment) -> str:
    return f"{timezone.localtime(appointment.starts_at, appointment.location.tz):%Y-%m-%d %H:%M}"


def request_change(appointment: Appointment, *, note: str) -> None:
    """A task for the front desk of the appointment's location: call the patient back."""
    with transaction.atomic():
        task = open_task(
            patient=appointment.patient,
            kind=TaskKind.FOLLOW_UP,
            title="The patient asks to change an appointment (patient portal)",
            detail=f"Appointment on {_when(appointment)}. The patient wrote: {note}",
            due_on=timezone.localdate(),
            role=Role.FRONT_DESK,
        )
        record("portal.appointment.change_request", username=PORTAL, obj=appointment,
               patient_id=appointment.patient_id, detail={"task": task.pk})  # fmt: skip


# Housekeeping (the scheduler's tidy_portal; nobody acts)


def tidy(now: dt.datetime | None = None) -> tuple[int, int]:
    """End portal sessions idle past the limit (a browser that never came back) and delete
    sign-in codes a day old (their hashes are of no further use). Returns both counts."""
    now = now or timezone.now()
    idle_since = now - dt.timedelta(seconds=settings.PORTAL_IDLE_TIMEOUT_SECONDS)
    ended = PortalSession.objects.live().filter(last_seen_at__lt=idle_since).update(ended_at=now)
    deleted, _rows = SignInCode.objects.filter(created_at__lt=now - dt.timedelta(days=1)).delete()
    return ended, deleted


# My details (the patient's own, from the details page)

PORTAL_CONSENT_SOURCE = "By the patient in the portal"
DETAILS_SUBJECT = gettext_noop("Your %(site)s contact details were changed")


def update_details(
    patient: Patient,
    *,
    email: str,
    phone: str,
    preferred_language: str,
    email_messages: bool,
    text_messages: bool,
) -> list[str]:
    """Save what the patient changed, in one transaction: the addresses and language on
    the chart (its version moves on, so a colleague's open form is stale), each message
    consent changed as a new Consent event with no staff recorder, one audit entry naming
    the fields only. A changed e-mail address or mobile number is announced on the
    channels in force afterwards and to the former address too (on a channel whose
    consent was in force before the change). Returns the names of what changed."""
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=patient.pk)
        before = {"email": patient.email, "phone": patient.phone}
        wanted = {"email": email, "phone": phone, "preferred_language": preferred_language}
        changed = [name for name, value in wanted.items() if getattr(patient, name) != value]
        given = patient.consented_to(*CONSENT_FOR.values())
        consents = {}
        today = timezone.localdate()
        for kind, wants in ((Consent.Kind.EMAIL_MESSAGES, email_messages),
                            (Consent.Kind.TEXT_MESSAGES, text_messages)):  # fmt: skip
            if (kind in given) != wants:
                status = Consent.Status.GIVEN if wants else Consent.Status.WITHDRAWN
                Consent.objects.create(patient=patient, kind=kind, status=status, date=today,
                                       source=PORTAL_CONSENT_SOURCE, recorded_by=None)  # fmt: skip
                consents[str(kind)] = str(status)
        if changed:
            Patient.objects.filter(pk=patient.pk).update(
                **{name: wanted[name] for name in changed},
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            patient.refresh_from_db()
        if not changed and not consents:
            return []
        record("portal.details.change", username=PORTAL, obj=patient, patient_id=patient.pk,
               detail={"fields": changed, "consents": consents})  # fmt: skip
        addresses: list[str] = [name for name in ("email", "phone") if name in changed]
        if addresses:
            context = _site_context(patient, email="email" in addresses, phone="phone" in addresses)
            _send(patient, DETAILS_SUBJECT, "details_changed", context)
            tell_former_addresses(patient, before, given=given)
    return changed + sorted(consents)


# Secure messages


def _reply_due(conversation: Conversation, since: dt.datetime) -> dt.datetime:
    """When the team should answer: by closing time after the location's first-response
    business days (the lead inbox's target and arithmetic)."""
    location = conversation.location
    hours = [(h.weekday, h.opens, h.closes) for h in location.opening_hours.all()]
    closures = [(c.start_date, c.end_date) for c in location.closures.all()]
    days = location.first_response_business_days
    return closing_after_open_days(since, days, location.tz, hours, closures)


def send_patient_message(patient: Patient, body: str, attachment: Any = None) -> Message:
    """The patient writes to the team of their location (the thread is made on the first
    message). An unanswered thread keeps its first waiting time and its due time."""
    now = timezone.now()
    with transaction.atomic():
        conversation, _created = Conversation.objects.get_or_create(
            patient=patient, location=patient.location
        )
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        message = Message(conversation=conversation, body=body)
        _attach(message, attachment)
        message.save()
        conversation.last_message_at = now
        if conversation.awaiting_reply_since is None:
            conversation.awaiting_reply_since = now
            conversation.reply_due = _reply_due(conversation, now)
        conversation.save()
        record("portal.message.send", username=PORTAL, obj=message, patient_id=patient.pk,
               detail={"conversation": conversation.pk})  # fmt: skip
    return message


def _attach(message: Message, upload: Any) -> None:
    """Store the file (checked by the form, forms.check_upload) with the unsaved message,
    under a name of its own, never the uploaded one."""
    if upload is None:
        return
    upload.seek(0)
    content_type = filetypes.sniff(upload.read(filetypes.HEAD_BYTES))
    upload.seek(0)
    if content_type is None:
        raise ValueError("not a PDF, PNG or JPEG file")  # the forms refuse it first
    message.attachment_type = content_type
    message.attachment_size = upload.size
    message.attachment.save("upload", upload, save=False)


def staff_reply(
    conversation: Conversation, *, by: User, body: str, attachment: Any = None
) -> tuple[Message, list[str]]:
    """A staff answer, with a file if given (the patient downloads it from the thread);
    the patient is told there is a message, never what it says."""
    now = timezone.now()
    patient = conversation.patient
    with transaction.atomic():
        message = Message(conversation=conversation, author=by, body=body)
        _attach(message, attachment)
        message.save()
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_at=now, awaiting_reply_since=None, reply_due=None, unread_by_patient=True
        )
        record("portal.message.reply", user=by, obj=message, patient_id=patient.pk,
               detail={"conversation": conversation.pk,
                       "attachment": bool(message.attachment)})  # fmt: skip
        context = _site_context(patient, clinic=conversation.location,
                                url=settings.SITE_URL + reverse("portal:messages"))  # fmt: skip
        channels = notify_patient(
            patient,
            location=conversation.location,
            subject=REPLY_SUBJECT,
            template="portal/messages/reply",
            context=context,
        )
    return message, channels


def assign_conversation(conversation: Conversation, *, by: User, assignee: User | None) -> None:
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(assignee=assignee)
        record("portal.conversation.assign", user=by, obj=conversation,
               patient_id=conversation.patient_id,
               detail={"assignee": assignee.pk if assignee else None})  # fmt: skip


def seen_by_patient(conversation: Conversation) -> None:
    if conversation.unread_by_patient:
        Conversation.objects.filter(pk=conversation.pk).update(unread_by_patient=False)


# Booking a visit online (booking.py says what the patient may book and when)


class NotBookable(Exception):
    """The visit cannot be booked online for this patient (the gate, the clinic's
    rules, a used approval): the patient is asked to call; staff see the reason."""


def _already(patient: Patient, kind: str, starts_at: dt.datetime) -> Appointment | None:
    """The booking a repeated click has already made, if any."""
    mine = Appointment.objects.holding().filter(patient=patient, booked_online=True)
    return mine.filter(appointment_type__kind=kind, starts_at=starts_at).first()


def book_visit(patient: Patient, slug: str, starts_at: dt.datetime) -> Appointment:
    """The patient books a visit for themselves: scheduling's own booking (the gate, the
    slot finder's resources, the database's refusal of a double booking, reminders and
    the confirmation), marked as booked online. A booster uses up its approval in the
    same transaction. scheduling.actions.Taken when the time is not free any more;
    NotBookable when the visit cannot be booked online. A second click on the same time
    gives the appointment the first one made."""
    kind = booking.SLUGS.get(slug)
    if kind is None:
        raise NotBookable
    done = _already(patient, kind, starts_at)
    if done is not None:
        return done
    try:
        with transaction.atomic():
            return _book_visit(patient, slug, starts_at)
    except scheduling.Taken:
        done = _already(patient, kind, starts_at)  # the other click won the race
        if done is not None:
            return done
        raise
    except scheduling.Refused as refused:
        raise NotBookable from refused


def _book_visit(patient: Patient, slug: str, starts_at: dt.datetime) -> Appointment:
    choice = next((c for c in booking.choices(patient) if c.slug == slug), None)
    if choice is None or choice.may != booking.May.BOOK:
        raise NotBookable
    approval = None
    if choice.appointment_type.kind == Kind.BOOSTER:
        held = BoosterApproval.objects.open().select_for_update(of=("self",))
        approval = held.filter(pk=choice.approval.pk).first() if choice.approval else None
        if approval is None:
            raise NotBookable
    if not booking.is_offered(patient, choice, starts_at):
        raise scheduling.Taken(TAKEN)
    appointment = scheduling.book(
        patient, choice.appointment_type, starts_at=starts_at, by=scheduling.Online(PORTAL)
    )
    if approval is not None:
        still_open = BoosterApproval.objects.open().filter(pk=approval.pk)
        if still_open.update(appointment=appointment) != 1:
            raise NotBookable
        record("outcomes.booster.use", username=PORTAL, obj=approval, patient_id=patient.pk,
               detail={"appointment": appointment.pk})  # fmt: skip
    return appointment
