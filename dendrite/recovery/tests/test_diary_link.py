"""The personal diary link: sent on consented channels, kept only as a hash, replaced
by a new one, switched off by staff; never in a task's arguments or the audit trail."""

import re

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.patients.models import Consent
from dendrite.recovery import access, actions
from dendrite.recovery.models import DiaryLink, hash_token
from dendrite.scheduling.models import PatientMessage

from .conftest import give_consent


def token_in(body: str) -> str:
    found = re.search(r"/diary/open/([^/\s]+)/", body)
    assert found, body
    return found.group(1)


def test_the_link_goes_by_text_and_only_its_hash_is_kept(alice, nurse, frozen) -> None:
    give_consent(alice, Consent.Kind.TEXT_MESSAGES, nurse)
    link, channels = actions.issue_diary_link(alice, by=nurse)
    assert channels == ["sms"]
    message = PatientMessage.objects.get()
    token = token_in(message.body)
    assert link.token_hash == hash_token(token) != token
    assert access.link_for_token(token) == link
    assert "diary" in message.subject.lower()
    assert alice.first_name not in message.subject
    for result in DBTaskResult.objects.all():
        assert token not in str(result.args_kwargs)
    for event in AuditEvent.objects.all():
        assert token not in str(event.detail)


def test_without_a_consented_channel_nothing_changes(alice, nurse, frozen) -> None:
    give_consent(alice, Consent.Kind.TEXT_MESSAGES, nurse)
    first, _ = actions.issue_diary_link(alice, by=nurse)
    Consent.objects.create(
        patient=alice, kind=Consent.Kind.TEXT_MESSAGES, status=Consent.Status.WITHDRAWN,
        date=first.created_at.date(), recorded_by=nurse,
    )  # fmt: skip
    try:
        actions.issue_diary_link(alice, by=nurse)
    except actions.NoChannel:
        pass
    else:
        raise AssertionError("a link that reaches nobody was made")
    assert list(DiaryLink.objects.usable()) == [first]


def test_a_new_link_replaces_the_old_one_and_staff_can_switch_it_off(alice, nurse, frozen) -> None:
    give_consent(alice, Consent.Kind.EMAIL_MESSAGES, nurse)
    actions.issue_diary_link(alice, by=nurse)
    old = token_in(PatientMessage.objects.get().body)
    link, _ = actions.issue_diary_link(alice, by=nurse)
    new = token_in(PatientMessage.objects.latest("pk").body)
    assert access.link_for_token(old) is None
    assert access.link_for_token(new) == link
    actions.revoke_diary_link(link, by=nurse)
    assert access.link_for_token(new) is None


def test_staff_send_and_switch_off_from_the_overview(alice, nurse, frozen) -> None:
    give_consent(alice, Consent.Kind.EMAIL_MESSAGES, nurse)
    client = signed_in(nurse)
    response = client.post(reverse("recovery:link_issue", args=[alice.pk]), follow=True)
    assert "on its way" in response.content.decode()
    token = token_in(PatientMessage.objects.get().body)
    assert token not in response.content.decode()
    link = DiaryLink.objects.get()
    client.post(reverse("recovery:link_revoke", args=[alice.pk, link.pk]))
    assert access.link_for_token(token) is None


def test_no_channel_is_said_plainly(alice, nurse, frozen) -> None:
    response = signed_in(nurse).post(reverse("recovery:link_issue", args=[alice.pk]), follow=True)
    assert "No link was sent" in response.content.decode()
    assert not DiaryLink.objects.exists()


def test_front_desk_and_another_location_cannot_send_a_link(
    alice, front_desk, prescriber_hartford, nurse, frozen
) -> None:
    give_consent(alice, Consent.Kind.EMAIL_MESSAGES, nurse)
    for user in (front_desk, prescriber_hartford):
        response = signed_in(user).post(reverse("recovery:link_issue", args=[alice.pk]))
        assert response.status_code in (403, 404)
    assert not DiaryLink.objects.exists()
