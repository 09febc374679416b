"""Staff invite a patient from the chart; the link is signed, single-use and expiring;
the first code finishes the invitation and signs the patient in."""

import datetime as dt
import re

import time_machine
from django.utils import timezone

from dendrite.conftest import signed_in
from dendrite.portal import actions, secrets
from dendrite.portal.auth import KEY
from dendrite.portal.models import Invitation, PortalAccount
from dendrite.scheduling.models import PatientMessage

from .conftest import last_code


def invite_url(patient) -> str:
    body = PatientMessage.objects.filter(patient=patient).order_by("-id").first().body
    return body[
        body.index("/portal/welcome/") : body.index("/", body.index("/portal/welcome/") + 16) + 1
    ]


def test_staff_invite_the_patient_from_the_chart(alice_in, front_desk):
    client = signed_in(front_desk)
    client.handler.enforce_csrf_checks = True  # the chart's button posts its own token
    chart = client.get(f"/staff/patients/{alice_in.pk}/")
    assert b"Invite to the portal" in chart.content
    form = chart.content.decode().split('action="/staff/patients/')[1].split("</form>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    response = client.post(
        f"/staff/patients/{alice_in.pk}/portal/invite/", {"csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert sorted(invitation.channels) == ["email", "sms"]
    messages = PatientMessage.objects.filter(patient=alice_in)
    assert {m.subject for m in messages} == {"Your invitation to the Dendrite patient portal"}
    assert all("Alice" not in m.subject and "Lovelace" not in m.body for m in messages)
    # Only the hash is kept.
    token = invite_url(alice_in).split("/")[-2]
    assert invitation.token_hash == secrets.hash_token(token)
    assert token not in str(Invitation.objects.values_list().get())


def test_no_invitation_without_a_consented_channel(alice, front_desk):
    client = signed_in(front_desk)
    response = client.post(f"/staff/patients/{alice.pk}/portal/invite/", follow=True)
    assert b"No invitation was sent" in response.content
    assert not Invitation.objects.exists()


def test_other_location_and_anonymous_cannot_invite(charlie, front_desk, client):
    assert (
        signed_in(front_desk).post(f"/staff/patients/{charlie.pk}/portal/invite/").status_code
        == 404
    )
    assert client.post(f"/staff/patients/{charlie.pk}/portal/invite/").status_code == 302
    assert not Invitation.objects.exists()


def test_the_invitation_signs_the_patient_in_with_a_code(alice_in, nurse, client):
    actions.invite(alice_in, by=nurse)
    url = invite_url(alice_in)
    response = client.get(url)
    assert response.status_code == 302 and response.url == "/portal/welcome/"
    page = client.get("/portal/welcome/")
    assert "a•••@example.test".encode() in page.content
    assert "•••• 0142".encode() in page.content
    assert client.post("/portal/welcome/").url == "/portal/sign-in/code/"
    response = client.post("/portal/sign-in/code/", {"code": last_code(alice_in)})
    assert response.status_code == 302 and response.url == "/portal/"
    assert client.get("/portal/").status_code == 200
    account = PortalAccount.objects.get(patient=alice_in)
    assert account.is_active
    assert Invitation.objects.get().used_at is not None
    # Single use: the same link again is a kind page.
    again = client.get(url)
    assert again.status_code == 404
    assert b"does not work any more" in again.content


def test_forged_changed_and_expired_links_are_refused(alice_in, nurse, client):
    actions.invite(alice_in, by=nurse)
    url = invite_url(alice_in)
    assert client.get(url[:-3] + "xx/").status_code == 404
    assert client.get("/portal/welcome/not-a-token/").status_code == 404
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert client.get(url).status_code == 404
    assert KEY not in client.session


def test_a_new_invitation_ends_the_old_one(alice_in, nurse, client):
    actions.invite(alice_in, by=nurse)
    first = invite_url(alice_in)
    actions.invite(alice_in, by=nurse)
    assert client.get(first).status_code == 404
    assert client.get(invite_url(alice_in)).status_code == 302
