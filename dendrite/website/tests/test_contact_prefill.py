"""After a self-screening in the same browser, the contact form fills in the name, e-mail
and phone given there (from the server-side session, never the URL), and the message is
filed with that screening's lead. The form's defences work as before."""

import re

import pytest

from dendrite.leads.models import Lead, LinkReason, Source
from dendrite.screening.tests.helpers import start, walk

from .helpers import CONTACT, inquiry, send, token_in

pytestmark = pytest.mark.django_db

NOTE = "We filled in what you gave us in the self-screening"


def value_of(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    found = re.search(r'value="([^"]*)"', match.group(0))
    return found.group(1) if found else ""


def test_the_contact_form_fills_in_the_screening_s_contact_details(client, inboxes, frozen):
    walk(client, inboxes["boston"], stop_at="anxiety")  # partway through
    response = client.get(CONTACT)
    html = response.content.decode()
    assert NOTE in html
    assert value_of(html, "name") == "Dana Example"
    assert value_of(html, "email") == "dana@example.test"
    assert value_of(html, "phone") == "(617) 555-0142"
    assert "no-store" in response["Cache-Control"]
    assert "dana" not in response.request["PATH_INFO"] + response.request.get("QUERY_STRING", "")


def test_a_browser_without_a_screening_gets_an_empty_form(client, inboxes, frozen):
    html = client.get(CONTACT).content.decode()
    assert NOTE not in html and value_of(html, "name") == ""


def test_another_browser_does_not_see_the_screening_s_details(client, inboxes, frozen):
    from django.test import Client

    start(client, inboxes["boston"])
    html = Client().get(CONTACT).content.decode()
    assert NOTE not in html and "dana@example.test" not in html


def test_the_message_is_filed_with_the_browser_s_screening_lead_even_with_other_details(
    client, inboxes, frozen, run_worker
):
    walk(client, inboxes["boston"])
    screened = Lead.objects.get()
    data = inquiry(
        inboxes["hartford"], email="dana.work@example.test", phone="",
        preferred_contact_method="email",
    )  # fmt: skip
    response = send(client, frozen, data)
    assert response.status_code == 302
    message = Lead.objects.get(source=Source.INQUIRY)
    assert message.linked_to == screened and message.link_reason == LinkReason.BROWSER
    screened.refresh_from_db()
    assert screened.email == "dana.work@example.test"  # the newer address
    run_worker()
    subjects = [m.subject for m in mail_to_staff()]
    assert subjects == [
        "New self-screening for Boston",
        "New message on an existing lead for Boston",
    ]


def mail_to_staff():
    from django.core import mail

    return [m for m in mail.outbox if m.to[0].endswith("-inbox@example.test")]


def test_a_phone_in_another_format_links_from_another_browser(client, inboxes, frozen):
    from django.test import Client

    start(client, inboxes["boston"])
    data = inquiry(inboxes["boston"], email="", phone="617.555.0142", name="D. Example",
                   preferred_contact_method="phone")  # fmt: skip
    assert send(Client(), frozen, data).status_code == 302
    message = Lead.objects.get(source=Source.INQUIRY)
    assert message.linked_to.source == Source.SCREENING
    assert message.link_reason == LinkReason.PHONE


def test_starting_the_screening_over_forgets_the_details(client, inboxes, frozen):
    start(client, inboxes["boston"])
    client.post("/screening/restart/")
    assert NOTE not in client.get(CONTACT).content.decode()


def test_the_timer_still_refuses_a_fast_reply_and_keeps_what_was_typed(client, inboxes, frozen):
    start(client, inboxes["boston"])
    token = token_in(client.get(CONTACT).content.decode())
    data = inquiry(inboxes["boston"], message="Typed after the screening.")
    response = client.post(CONTACT, {"token": token, **data})  # no pause at all
    assert response.status_code == 400
    html = response.content.decode()
    assert "press the button again" in html and "Typed after the screening." in html
    assert not Lead.objects.filter(source=Source.INQUIRY).exists()


def test_the_honeypot_still_stores_nothing_after_a_prefill(client, inboxes, frozen):
    start(client, inboxes["boston"])
    response = send(client, frozen, inquiry(inboxes["boston"], website="http://spam.example"))
    assert response.status_code == 302
    assert not Lead.objects.filter(source=Source.INQUIRY).exists()
