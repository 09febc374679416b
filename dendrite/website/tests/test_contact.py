"""The inquiry form: a lead stored with both e-mails queued in one go, and on bad input
a clear message beside each field, every value kept, and nothing saved."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dendrite.leads.models import ContactMethod, ContactTime, Lead, Reason, Source
from dendrite.website.forms import CONTACT_METHODS, CONTACT_TIMES, REASONS

from .helpers import CONTACT, PERSONAL, THANKS, Page, inquiry, send

pytestmark = pytest.mark.django_db


def errors_beside(html: str, field: str) -> list[str]:
    """The error messages tied to one field (the list aria-describedby points at)."""
    match = re.search(rf'<ul class="errors" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


# The happy path


def test_an_inquiry_is_stored_and_both_emails_are_queued_then_sent(
    client, inboxes, frozen, run_worker
):
    boston = inboxes["boston"]
    response = send(client, frozen, inquiry(boston))

    assert response.status_code == 302
    assert response.url == THANKS  # nothing personal travels in the address
    lead = Lead.objects.get()
    assert lead.source == Source.INQUIRY
    assert lead.location == boston
    assert (lead.name, lead.email, lead.phone) == (
        "Dana Example",
        "dana@example.test",
        "+16175550142",
    )
    assert lead.reasons == ["depression", "alcohol"]
    assert lead.preferred_contact_method == "phone"
    assert lead.preferred_contact_time == "morning"
    assert lead.consent_to_contact and not lead.consent_to_texts
    assert lead.heard_about == "clinician"
    assert lead.language == "en"
    assert DBTaskResult.objects.count() == 2  # the staff notice and the acknowledgement

    run_worker()

    staff, person = sorted(mail.outbox, key=lambda message: message.to != [boston.email])
    assert staff.to == [boston.email]
    assert person.to == ["dana@example.test"]
    assert person.subject == "We received your message"
    for message in mail.outbox:
        for personal in PERSONAL:
            assert personal not in message.subject
    assert "within 1 business day" in person.body
    assert "988" in person.body and "911" in person.body
    assert "three antidepressants" not in person.body  # what they wrote is never repeated


def test_someone_who_gives_only_a_phone_number_gets_no_email_and_staff_are_still_told(
    client, inboxes, frozen, run_worker
):
    send(client, frozen, inquiry(inboxes["hartford"], email=""))
    lead = Lead.objects.get()
    assert lead.email == "" and lead.phone == "+16175550142"
    run_worker()
    [message] = mail.outbox
    assert message.to == [inboxes["hartford"].email]


def test_texts_are_allowed_only_with_the_separate_opt_in(client, inboxes, frozen):
    data = inquiry(inboxes["boston"], preferred_contact_method="text", consent_to_texts="on")
    assert send(client, frozen, data).status_code == 302
    assert Lead.objects.get().consent_to_texts


def test_a_spanish_inquiry_is_acknowledged_in_spanish(spanish, inboxes, frozen, run_worker):
    send(spanish, frozen, inquiry(inboxes["boston"]))
    assert Lead.objects.get().language == "es"
    run_worker()
    [acknowledgement] = [m for m in mail.outbox if m.to == ["dana@example.test"]]
    assert acknowledgement.subject == "Hemos recibido su mensaje"
    assert "1 día hábil" in acknowledgement.body
    assert "988" in acknowledgement.body


def test_the_first_response_promise_follows_the_locations_target(
    client, inboxes, frozen, run_worker
):
    for location in inboxes.values():
        location.first_response_business_days = 2
        location.save()
    assert "within 2 business days" in client.get(CONTACT).content.decode()
    send(client, frozen, inquiry(inboxes["boston"]))
    assert "within 2 business days" in client.get(THANKS).content.decode()
    run_worker()
    assert any("within 2 business days" in message.body for message in mail.outbox)


# Bad input: a message beside the field, every value kept, nothing saved

BAD_INPUT = {
    "neither e-mail nor phone": (
        {"email": "", "phone": ""},
        {
            "email": "Please give an e-mail address or a phone number, so that we can reply.",
            "phone": "Please give an e-mail address or a phone number, so that we can reply.",
        },
    ),
    "a phone number that is not one": (
        {"phone": "555-01"},
        {"phone": "Please enter a US phone number with its area code, such as (617) 555-0142."},
    ),
    "a number outside the US": (
        {"phone": "+44 20 7946 0958"},
        {"phone": "Please enter a US phone number with its area code, such as (617) 555-0142."},
    ),
    "an e-mail address that is not one": (
        {"email": "dana@"},
        {"email": "Please enter an e-mail address such as name@example.com."},
    ),
    "no consent to be contacted": (
        {"consent_to_contact": None},
        {
            "consent_to_contact": "Please tick this box so that we may contact you; without it we "
            "cannot reply."
        },
    ),
    "no reason chosen": (
        {"reasons": None},
        {"reasons": "Please choose at least one thing you would like help with."},
    ),
    "no name": ({"name": "  "}, {"name": "Please tell us your name."}),
    "a message that is too long": (
        {"message": "x" * 2001},
        {"message": "Please shorten this to 2000 characters or fewer (it has 2001)."},
    ),
    "texts chosen without the opt-in": (
        {"preferred_contact_method": "text"},
        {
            "consent_to_texts": "You chose text messages: please tick this box to allow them, or "
            "choose another way."
        },
    ),
    "e-mail chosen without an address": (
        {"preferred_contact_method": "email", "email": ""},
        {
            "preferred_contact_method": "You chose e-mail: please give an e-mail address, or "
            "choose another way."
        },
    ),
    "a clinic that does not exist": (
        {"location": "999999"},
        {"location": "Please choose one of our clinics."},
    ),
}


@pytest.mark.parametrize("changes, expected", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_explained_beside_its_field_and_nothing_is_saved(
    client, inboxes, frozen, changes, expected
):
    response = send(client, frozen, inquiry(inboxes["boston"], **changes))

    assert response.status_code == 200
    html = response.content.decode()
    for field, message in expected.items():
        assert errors_beside(html, field) == [message]
    assert "Please correct the" in html
    assert Page(html).title.startswith("Error:")
    assert not Lead.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_every_value_typed_is_still_there_after_an_error(client, inboxes, frozen):
    boston = inboxes["boston"]
    data = inquiry(boston, consent_to_contact=None, consent_to_texts="on", heard_about="friend")
    html = send(client, frozen, data).content.decode()

    assert 'value="Dana Example"' in html
    assert 'value="dana@example.test"' in html
    assert 'value="(617) 555-0142"' in html
    assert "I have tried three antidepressants and would like to know more.</textarea>" in html
    for checked in (
        f'value="{boston.pk}"',
        'value="depression"',
        'value="alcohol"',
        'value="phone"',
        'value="morning"',
        'name="consent_to_texts"',
    ):
        assert re.search(rf"<input[^>]*{checked}[^>]*checked", html), checked
    assert '<option value="friend" selected>' in html
    assert not re.search(r'<input[^>]*value="anxiety"[^>]*checked', html)


def test_the_form_keeps_its_first_token_so_a_corrected_form_can_be_sent_at_once(
    client, inboxes, frozen
):
    first = send(client, frozen, inquiry(inboxes["boston"], reasons=None))
    token = re.search(r'name="token" value="([^"]+)"', first.content.decode()).group(1)
    response = client.post(CONTACT, {"token": token, **inquiry(inboxes["boston"])})
    assert response.status_code == 302
    assert Lead.objects.count() == 1


# The form itself


def test_every_field_has_a_label_and_the_choices_are_the_active_clinics(client, inboxes):
    inboxes["hartford"].is_active = False
    inboxes["hartford"].save()
    html = client.get(CONTACT).content.decode()
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids - {"id_token"} <= labelled
    assert "Boston (Boston, MA)" in html
    assert "West Hartford" not in html.split("<form", 2)[-1]


def test_the_honeypot_is_hidden_from_people_screen_readers_and_the_keyboard(client, inboxes):
    html = client.get(CONTACT).content.decode()
    trap = re.search(r'<div class="hp" aria-hidden="true">(.*?)</div>', html, re.S).group(1)
    assert "Leave this field empty" in trap
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap


def test_every_stored_choice_has_a_label_in_the_public_form():
    assert set(REASONS) == set(Reason)
    assert set(CONTACT_METHODS) == set(ContactMethod)
    assert set(CONTACT_TIMES) == set(ContactTime)


ODD_POSTS = {
    "a reason we do not offer": {"reasons": ["astrology"]},
    "a clinic that is not a number": {"location": "boston"},
    "a contact time we do not offer": {"preferred_contact_time": "midnight"},
    "a null character": {"name": "Dana\x00"},
    "a huge phone number": {"phone": "9" * 31},
    "a name far too long": {"name": "x" * 500},
    "a heard-about we do not list": {"heard_about": "<script>"},
}


@pytest.mark.parametrize("changes", ODD_POSTS.values(), ids=ODD_POSTS.keys())
def test_odd_posts_get_the_form_back_never_an_error_page(client, inboxes, frozen, changes):
    response = send(client, frozen, inquiry(inboxes["boston"], **changes))
    assert response.status_code == 200
    assert "Please correct the" in response.content.decode()
    assert not Lead.objects.exists()


def test_the_form_is_answered_in_spanish_with_spanish_messages(spanish, inboxes, frozen):
    response = send(spanish, frozen, inquiry(inboxes["boston"], email="", phone=""))
    html = response.content.decode()
    assert "Corrija los campos marcados abajo" in html or "Corrija el campo marcado" in html
    assert errors_beside(html, "email") == [
        "Indíquenos un correo electrónico o un número de teléfono para que podamos responderle."
    ]
    assert "(obligatorio)" in html


def test_the_contact_page_refuses_other_methods(client):
    assert client.put(reverse("website:contact")).status_code == 405
