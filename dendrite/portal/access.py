"""The portal's door to patient data.

A signed-in patient (auth.Portal) reaches their own rows and nothing else: every helper
narrows by the portal's patient, so another patient's id is a 404 indistinguishable from
a missing one, and every read is written to the audit trail as "patient-portal" with
the patient's id. Staff reach the portal only to invite a patient, through the chart's
own door (patients.access.get_patient_for).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dendrite.accounts.access import fetch_for, scope_for
from dendrite.accounts.models import Role, User
from dendrite.accounts.names import full_names
from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.phones import to_e164
from dendrite.fhir.models import Disclosure
from dendrite.outcomes import chart as outcomes_chart
from dendrite.outcomes.models import QuestionnaireRequest
from dendrite.patients.access import PATIENT_ROLES, get_patient_for
from dendrite.patients.models import Consent, Patient
from dendrite.recovery import access as recovery_access
from dendrite.recovery.models import DiaryLink, Plan
from dendrite.scheduling.models import RELEASED, Appointment

from . import secrets
from .actions import PORTAL
from .auth import Portal
from .models import (
    Conversation,
    Invitation,
    Message,
    Passkey,
    PortalAccount,
    PortalSession,
    SignInCode,
)


def audit_read(portal: Portal, action: str, *, obj: Any = None, detail: Any = None) -> None:
    record(f"portal.{action}", username=PORTAL, obj=obj, object_type="" if obj else "portal",
           patient_id=portal.patient.pk, detail=detail or {})  # fmt: skip


def _own[M: Any](portal: Portal, queryset: QuerySet[M], pk: Any, action: str) -> M:
    """One of the patient's own rows, audited; another patient's id is a 404, audited as
    denied with the signed-in patient's id (never the other's)."""
    try:
        found = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError) as bad:
        raise Http404 from bad
    if found is None:
        record(f"portal.{action}", username=PORTAL, object_type=queryset.model._meta.label_lower,
               object_id=str(pk)[:40], patient_id=portal.patient.pk,
               outcome=AuditEvent.Outcome.DENIED)  # fmt: skip
        raise Http404
    audit_read(portal, action, obj=found)
    return found


# Staff


def get_patient_to_invite(user: User, pk: Any) -> Patient:
    return get_patient_for(user, pk, "edit")


def account_of(patient: Patient) -> PortalAccount | None:
    return PortalAccount.objects.filter(patient=patient).first()


def latest_invitation(account: PortalAccount | None) -> Invitation | None:
    return account.invitations.first() if account else None


# Signing in (nobody signed in yet: the token or the address is the key)


def invitation_for_token(token: str, max_age: Any) -> Invitation | None:
    try:
        digest = secrets.check_invitation(token, max_age)
    except secrets.BadToken:
        return None
    found = Invitation.objects.select_related("account__patient__location")
    invitation = found.filter(token_hash=digest).first()
    return invitation if invitation is not None and invitation.usable() else None


def invitation_by_id(pk: Any) -> Invitation | None:
    if not isinstance(pk, int):
        return None
    found = Invitation.objects.select_related("account__patient__location").filter(pk=pk).first()
    return found if found is not None and found.usable() else None


def code_by_id(pk: Any) -> SignInCode | None:
    if not isinstance(pk, int):
        return None
    return SignInCode.objects.select_related("account__patient__location").filter(pk=pk).first()


def account_for_address(address: str) -> PortalAccount | None:
    """The one active account with this e-mail address or mobile number (None if none, or
    if several patients share it: a code then goes to nobody)."""
    address = address.strip()
    if "@" in address:
        match = Q(patient__email__iexact=address)
    else:
        phone = to_e164(address)
        if phone is None:
            return None
        match = Q(patient__phone=phone)
    accounts = list(
        PortalAccount.objects.filter(match, activated_at__isnull=False).select_related(
            "patient__location"
        )[:2]
    )
    return accounts[0] if len(accounts) == 1 else None


def passkey_by_credential(credential_id: str) -> Passkey | None:
    return (
        Passkey.objects.select_related("account__patient__location")
        .filter(credential_id=credential_id, account__activated_at__isnull=False)
        .first()
    )


# The signed-in patient's own data


def appointments(portal: Portal) -> tuple[list[Appointment], list[Appointment]]:
    """(upcoming, the last past ones), audited as one list read."""
    mine = Appointment.objects.filter(patient=portal.patient).select_related(
        "location", "appointment_type", "series"
    )
    now = timezone.now()
    upcoming = list(mine.filter(starts_at__gte=now).exclude(status__in=RELEASED)
                    .order_by("starts_at")[:20])  # fmt: skip
    past = list(mine.filter(Q(starts_at__lt=now) | Q(status__in=RELEASED))
                .order_by("-starts_at")[:20])  # fmt: skip
    audit_read(portal, "appointment.list", detail={"ids": [a.pk for a in upcoming + past]})
    return upcoming, past


def get_appointment(portal: Portal, pk: Any) -> Appointment:
    mine = Appointment.objects.filter(patient=portal.patient).select_related(
        "location", "appointment_type", "series", "patient"
    )
    return _own(portal, mine, pk, "appointment.read")


def sessions(portal: Portal) -> list[PortalSession]:
    """Where the patient is signed in now (a session idle past the limit is over)."""
    idle_since = timezone.now() - dt.timedelta(seconds=settings.PORTAL_IDLE_TIMEOUT_SECONDS)
    live = PortalSession.objects.live().filter(account=portal.account, last_seen_at__gte=idle_since)
    return list(live[:50])


def get_session(portal: Portal, pk: Any) -> PortalSession:
    live = PortalSession.objects.live().filter(account=portal.account).select_related("account")
    return _own(portal, live, pk, "session.read")


def passkeys(portal: Portal) -> list[Passkey]:
    return list(Passkey.objects.filter(account=portal.account))


def get_passkey(portal: Portal, pk: Any) -> Passkey:
    mine = Passkey.objects.filter(account=portal.account).select_related("account")
    return _own(portal, mine, pk, "passkey.read")


def due_questionnaires(portal: Portal) -> list[QuestionnaireRequest]:
    now = timezone.now()
    due = list(
        QuestionnaireRequest.objects.open()
        .filter(patient=portal.patient, expires_at__gt=now)
        .select_related("appointment")
        .order_by("expires_at")[:10]
    )
    audit_read(portal, "questionnaire.list", detail={"ids": [q.pk for q in due]})
    return due


def get_questionnaire(portal: Portal, pk: Any) -> QuestionnaireRequest:
    mine = QuestionnaireRequest.objects.open().filter(
        patient=portal.patient, expires_at__gt=timezone.now()
    )
    return _own(portal, mine.select_related("location", "patient"), pk, "questionnaire.read")


# Progress: the patient's own scores and plans (the chart's computations, their own rows)


def scores(portal: Portal) -> dict[str, list[Any]]:
    found = outcomes_chart.scores(portal.patient)
    audit_read(portal, "progress.read", detail={"instruments": sorted(found)})
    return found


def infusion_times(portal: Portal) -> list[Any]:
    return outcomes_chart.infusion_times(portal.patient)


def plans(portal: Portal) -> dict[str, Plan]:
    found = recovery_access.latest_plans(portal.patient)
    audit_read(portal, "plan.list", detail={"ids": [plan.pk for plan in found.values()]})
    return found


def get_plan(portal: Portal, kind: str) -> Plan:
    plan = recovery_access.latest_plans(portal.patient).get(kind)
    if plan is None:
        raise Http404
    audit_read(portal, "plan.read", obj=plan)
    return plan


def diary_link(portal: Portal) -> DiaryLink | None:
    """The patient's usable diary link, if their care team has made one."""
    return DiaryLink.objects.usable().filter(patient=portal.patient).order_by("-id").first()


# My record: who at the clinic opened it (the audit trail, staff only)


def record_openings(portal: Portal, page_number: Any) -> Page[AuditEvent]:
    """The staff entries of the patient's audit trail, newest first, 50 a page, each with
    the person's name (`actor_name`)."""
    events = AuditEvent.objects.for_patient(portal.patient.pk).filter(actor_id__isnull=False)
    page = Paginator(events.order_by("-id"), 50).get_page(page_number)
    names = full_names(event.actor_id for event in page)
    for event in page:
        event.actor_name = names.get(event.actor_id or 0, "")  # type: ignore[attr-defined]
    audit_read(portal, "access_history.read", detail={"page": page.number})
    return page


def my_disclosures(portal: Portal) -> list[Disclosure]:
    """The accounting of disclosures of the patient's substance-use records (42 CFR 2.24,
    fhir.models.Disclosure), newest first, with the recipient and the consent in the same
    query however many there are; the read is audited."""
    found = list(
        Disclosure.objects.filter(patient=portal.patient)
        .select_related("client", "consent")
        .order_by("-at", "-id")
    )
    audit_read(portal, "disclosures.read", detail={"count": len(found)})
    return found


def record_export(portal: Portal, kind: str) -> dict[str, Any]:
    """Everything the patient's own copy holds, loaded in a fixed number of queries and
    audited as one export ("pdf" or "fhir")."""
    patient = portal.patient
    fields = ("id", "mrn", "first_name", "last_name", "date_of_birth", "sex", "email",
              "phone", "street", "city", "state", "postal_code")  # fmt: skip
    visits = Appointment.objects.filter(patient=patient).order_by("starts_at")
    scores = patient.questionnaire_responses.filter(total__isnull=False).order_by("authored_at")
    found = {
        "patient": {name: getattr(patient, name) for name in fields},
        "visits": [
            {
                "id": v.pk,
                "status": v.status,
                "status_label": v.get_status_display(),
                "name": v.appointment_type.name,
                "starts_at": v.starts_at,
                "ends_at": v.ends_at,
                "location": v.location.name,
                "tz": v.location.time_zone,
            }
            for v in visits.select_related("appointment_type", "location")
        ],
        "scores": list(scores.values("id", "instrument", "authored_at", "total")),
        "diagnoses": list(patient.diagnoses.values("code", "description")),
        "medications": list(patient.medications.values("name", "dose", "frequency")),
        "allergies": list(patient.allergies.values("substance", "reaction")),
        "no_known_allergies": patient.no_known_allergies,
    }
    audit_read(portal, "record.export", obj=patient, detail={"format": kind})
    return found


# My details


def my_details(portal: Portal) -> dict[str, Any]:
    """What the details form starts from: the patient's addresses, message language and
    message consents (audited)."""
    patient = portal.patient
    audit_read(portal, "details.read", obj=patient)
    given = patient.consented_to(Consent.Kind.EMAIL_MESSAGES, Consent.Kind.TEXT_MESSAGES)
    return {
        "email": patient.email,
        "phone": patient.phone,
        "preferred_language": patient.message_language(),
        "email_messages": Consent.Kind.EMAIL_MESSAGES in given,
        "text_messages": Consent.Kind.TEXT_MESSAGES in given,
    }


def has_passkey(portal: Portal) -> bool:
    return Passkey.objects.filter(account=portal.account).exists()


# Secure messages


def my_conversation(portal: Portal) -> Conversation | None:
    """The patient's thread with their location's team, its messages in order (audited)."""
    found = (
        Conversation.objects.filter(patient=portal.patient, location=portal.patient.location)
        .select_related("location")
        .prefetch_related("messages__author")
        .first()
    )
    audit_read(portal, "conversation.read", obj=found)
    return found


def my_attachment(portal: Portal, pk: Any) -> Message:
    found = Message.objects.filter(conversation__patient=portal.patient).exclude(attachment="")
    return _own(portal, found, pk, "message.attachment.read")


def staff_attachment(user: User, pk: Any) -> Message:
    found = Message.objects.select_related("conversation").exclude(attachment="")
    return fetch_for(
        user,
        found,
        pk,
        roles=MESSAGE_ROLES,
        location_of=lambda message: message.conversation.location_id,
        patient_of=lambda message: message.conversation.patient_id,
        action="attachment",
    )


def has_new_reply(portal: Portal) -> bool:
    """Whether the team answered since the patient last opened their messages."""
    return Conversation.objects.filter(patient=portal.patient, unread_by_patient=True).exists()


# Staff: front desk, clinicians and the clinic admin answer messages at their locations.
MESSAGE_ROLES = frozenset({*PATIENT_ROLES, Role.CLINIC_ADMIN})


def conversations_for(user: User) -> QuerySet[Conversation]:
    """The threads at the user's locations: waiting ones first, the longest waiting on top."""
    if user.role not in MESSAGE_ROLES:
        return Conversation.objects.none()
    found = scope_for(user, Conversation.objects.all())
    return found.select_related("patient", "location", "assignee").order_by(
        F("awaiting_reply_since").asc(nulls_last=True), "-last_message_at", "-id"
    )


def inbox_for(user: User) -> list[Conversation]:
    threads = list(conversations_for(user)[:200])
    record("portal.conversation.list", user=user, object_type="portal.conversation",
           detail={"count": len(threads)})  # fmt: skip
    return threads


def get_conversation_for(user: User, pk: Any) -> Conversation:
    found = Conversation.objects.select_related("patient", "location", "assignee")
    return fetch_for(
        user,
        found.prefetch_related("messages__author"),
        pk,
        roles=MESSAGE_ROLES,
        location_of=lambda conversation: conversation.location_id,
        patient_of=lambda conversation: conversation.patient_id,
    )


def team_at(conversation: Conversation) -> list[User]:
    """Who may take the thread: active staff of its location who answer messages."""
    return list(
        User.objects.filter(
            is_active=True, role__in=MESSAGE_ROLES, locations=conversation.location_id
        ).order_by("first_name", "last_name", "id")
    )
