"""After a "likely candidate" or "review" result the person may request a consultation
(location, days, times of day, how to be contacted): it lands on their own lead, not a
new one, and the front desk books it from the lead with the booking page prefilled."""

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.leads.models import ConsultationRequest, Lead

from .helpers import RESULT, health, scores, treatment, walk, yes_no

pytestmark = pytest.mark.django_db

DEPRESSED = scores(9, 2, q9=0)  # PHQ-9 16
REQUEST = reverse("screening:consultation")


def test_a_likely_candidate_requests_a_consultation_on_their_own_lead(client, boston, hartford):
    walk(client, boston, mood=DEPRESSED, treatment=treatment(2))
    assert REQUEST in client.get(RESULT).content.decode()
    page = client.get(REQUEST)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    data = {"location": hartford.pk, "days": ["tue", "thu"], "times": ["morning"],
            "contact_by": "phone"}  # fmt: skip
    response = client.post(REQUEST, data)
    assert "your request is with the clinic" in response.content.decode()
    lead = Lead.objects.get()  # no second lead
    asked = ConsultationRequest.objects.get()
    assert (asked.lead, asked.location, asked.days, asked.times, asked.contact_by) == (
        lead, hartford, ["tue", "thu"], ["morning"], "phone",
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="leads.lead.consultation_request").exists()


def test_asking_again_updates_the_request_instead_of_adding_rows(client, boston, hartford):
    walk(client, boston, mood=DEPRESSED, treatment=treatment(2))
    data = {"location": hartford.pk, "days": ["tue"], "times": ["morning"], "contact_by": "phone"}
    for _ in range(3):  # a double click, a page sent again and again
        assert "your request is with the clinic" in client.post(REQUEST, data).content.decode()
    asked = ConsultationRequest.objects.get()
    assert AuditEvent.objects.filter(action="leads.lead.consultation_request").count() == 1
    changed = dict(data, location=boston.pk, days=["fri"], contact_by="email")
    client.post(REQUEST, changed)
    asked = ConsultationRequest.objects.get()  # still one: the newest wishes
    assert (asked.location, asked.days, asked.contact_by) == (boston, ["fri"], "email")
    assert AuditEvent.objects.filter(action="leads.lead.consultation_request").count() == 2


def test_a_review_outcome_is_offered_it_too(client, boston):
    walk(client, boston, mood=DEPRESSED, treatment=treatment(1))
    assert REQUEST in client.get(RESULT).content.decode()


def test_other_outcomes_and_strangers_are_sent_to_the_result(client, boston):
    assert client.get(REQUEST).url == RESULT  # no screening in this browser
    walk(client, boston, mood=DEPRESSED, health=health(psychosis_mania="yes"))
    assert REQUEST not in client.get(RESULT).content.decode()
    assert client.post(REQUEST, {"contact_by": "phone"}).url == RESULT
    assert not ConsultationRequest.objects.exists()


def test_the_safety_net_stays(client, boston):
    walk(client, boston, mood=DEPRESSED, treatment=treatment(2))
    assert 'href="tel:988"' in client.get(REQUEST).content.decode()


def test_a_safety_answer_leads_to_the_crisis_result_not_a_request(client, boston):
    walk(client, boston, mood=scores(9, q9=1), safety=yes_no("1", "2"))
    assert client.get(REQUEST).url == RESULT
    html = client.get(RESULT).content.decode()
    assert "Your safety comes first" in html and REQUEST not in html
    assert Lead.objects.get().flags  # never dropped


def test_a_bad_request_keeps_what_was_chosen_and_stores_nothing(client, boston):
    walk(client, boston, mood=DEPRESSED, treatment=treatment(2))
    response = client.post(REQUEST, {"location": boston.pk, "days": ["mon"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose how the clinic should contact you." in html
    assert 'value="mon" checked' in html or 'value="mon"\n' in html or "checked" in html
    assert not ConsultationRequest.objects.exists()


def test_the_front_desk_sees_the_request_and_books_it_from_the_lead(client, boston, front_desk):
    walk(client, boston, mood=DEPRESSED, treatment=treatment(2))
    client.post(REQUEST, {"location": boston.pk, "days": ["wed"], "contact_by": "email"})
    lead = Lead.objects.get()
    desk = signed_in(front_desk)
    assert "Consultation requested" in desk.get(reverse("leads:inbox")).content.decode()
    html = desk.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "Consultation requested" in html and "Wednesday" in html and "An e-mail" in html
    response = desk.post(
        reverse("leads:convert", args=[lead.pk]),
        {"first_name": "Casey", "last_name": "Morgan", "date_of_birth": "1990-05-04",
         "sex": "female"},
    )  # fmt: skip
    lead.refresh_from_db()
    assert lead.patient_id
    book = reverse("scheduling:book", args=[lead.patient_id])
    assert response.url.startswith(book + "?appointment_type=consultation&day=")
    day = response.url.rsplit("=", 1)[1]
    import datetime as dt

    assert dt.date.fromisoformat(day).weekday() == 2  # the first Wednesday
    page = desk.get(response.url)
    assert page.status_code == 200
    html = desk.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "Book the requested consultation" in html and book in html
