"""Step 1: contact details and consent. The lead is created here, before any question."""

import pytest
from django.core import mail

from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location
from dendrite.leads.models import Lead, Outcome, Source
from dendrite.screening.models import ScreeningSession
from dendrite.screening.views.current import SESSION_KEY

from .helpers import contact, start, url

pytestmark = pytest.mark.django_db


def test_the_first_page_shows_step_1_of_8_and_the_active_locations(client, boston, hartford):
    hartford.is_active = False
    hartford.save()
    response = client.get(url("contact"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Step 1 of 8" in html and '<progress max="8" value="1"' in html
    assert "Boston (Boston, MA)" in html and "West Hartford" not in html
    assert "scored differently for women and for men" in html  # why sex is asked


def test_contact_details_create_an_unfinished_screening_lead_and_tell_staff(
    client, clinic, run_worker
):
    response = start(client, clinic)
    assert response.status_code == 302 and response.url == url("mood")
    lead = Lead.objects.get()
    assert lead.source == Source.SCREENING
    assert lead.triage_outcome == Outcome.INCOMPLETE
    assert (lead.name, lead.email, lead.phone) == (
        "Dana Example",
        "dana@example.test",
        "+16175550142",
    )
    assert lead.location == clinic and lead.consent_to_contact and not lead.urgent
    screening = ScreeningSession.objects.get()
    assert screening.lead == lead and screening.step == "mood"
    assert screening.answers == {"contact": {"age_band": "35-44", "sex": "female"}}
    assert client.session[SESSION_KEY] == screening.pk
    assert AuditEvent.objects.filter(action="screening.session.create").count() == 1
    run_worker()
    [message] = mail.outbox
    assert message.subject == "New self-screening for Boston"
    assert "Dana" not in message.body


def test_bad_contact_details_get_a_message_per_field_keep_what_was_typed_and_store_nothing(
    client, boston
):
    response = client.post(
        url("contact"), contact(boston, name="", email="not-an-address", phone="12", consent="")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == ["Please tell us your name."]
    assert form.errors["email"] == ["Please enter an e-mail address such as name@example.com."]
    assert form.errors["phone"] == [
        "Please enter a phone number we can call, such as (617) 555-0142."
    ]
    assert form.errors["consent"] == ["Please agree, so that the clinic may contact you."]
    html = response.content.decode()
    assert (
        'value="not-an-address"' in html
        and 'value="35-44" id="id_age_band_3" required checked' in html
    )
    assert 'aria-describedby="id_name_error"' in html and 'id="id_name_error"' in html
    assert not Lead.objects.exists() and not ScreeningSession.objects.exists()
    assert SESSION_KEY not in client.session


def test_an_email_or_a_phone_is_needed_and_either_one_is_enough(client, boston):
    response = client.post(url("contact"), contact(boston, email="", phone=""))
    message = "Please give an e-mail address or a phone number, so we can reach you."
    assert response.context["form"].errors == {"email": [message], "phone": [message]}
    assert start(client, boston, email="").status_code == 302
    assert Lead.objects.get().email == ""


def test_under_18_gets_a_kind_page_and_nothing_is_stored(client, boston):
    response = client.post(url("contact"), contact(boston, age_band="under-18"))
    assert response.url == "/screening/adults-only/"
    page = client.get(response.url).content.decode()
    assert "This clinic treats adults" in page
    assert 'href="tel:988"' in page and 'href="tel:911"' in page
    assert not Lead.objects.exists() and not ScreeningSession.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="screening").exists()


def test_under_18_is_enough_even_when_the_rest_of_the_form_is_empty(client, boston):
    response = client.post(url("contact"), {"age_band": "under-18"})
    assert response.url == "/screening/adults-only/"
    assert not Lead.objects.exists()


def test_going_back_to_step_1_changes_the_same_lead(client, boston, hartford):
    start(client, boston)
    page = client.get(url("contact")).content.decode()
    assert 'value="Dana Example"' in page  # the form shows what was given
    response = client.post(url("contact"), contact(hartford, name="Dana E.", sex="male"))
    assert response.url == url("mood")
    lead = Lead.objects.get()
    assert (lead.name, lead.location) == ("Dana E.", hartford)
    assert ScreeningSession.objects.get().answers["contact"]["sex"] == "male"


def test_a_location_that_is_not_offered_is_refused(client, boston):
    closed = Location.objects.create(
        organization=boston.organization,
        slug="closed",
        name="Closed",
        street="x",
        city="Nowhere",
        state="MA",
        postal_code="02116",
        phone="1",
        is_active=False,
    )
    response = client.post(url("contact"), contact(boston) | {"location": str(closed.pk)})
    assert response.status_code == 200 and "location" in response.context["form"].errors
    assert not Lead.objects.exists()
