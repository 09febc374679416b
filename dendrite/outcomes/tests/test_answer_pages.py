"""The patient's pages: the link opens them once, answers are kept on the server as they
come, a safety answer raises the alert at once, and a bad link gets a kind page."""

import datetime as dt

import time_machine
from django.urls import reverse

from dendrite.alerts.models import SafetyAlert
from dendrite.outcomes.models import QuestionnaireRequest
from dendrite.patients.models import QuestionnaireResponse

from .conftest import NOW, PHQ9_SHOWN, open_request, open_url, phq9

ANSWER = "/questionnaire/phq-9/"
CSSRS = "/questionnaire/c-ssrs-screener/"


def test_the_link_opens_the_first_questionnaire_and_leaves_the_address_bar(client, alice):
    request, token = open_request(alice)
    response = client.get(open_url(token))
    assert response.status_code == 302 and token not in response["Location"]
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == ANSWER
    assert b"Questionnaire 1 of 2" in response.content
    assert response["Cache-Control"].count("no-store")
    request.refresh_from_db()
    assert request.opened_at is not None


def test_the_token_is_stored_only_as_its_hash(alice):
    request, token = open_request(alice)
    assert token not in request.token_hash
    assert QuestionnaireRequest.objects.filter(token_hash=token).count() == 0


def test_a_changed_link_gets_a_kind_page_with_the_clinic_phone_and_988(client, alice):
    _, token = open_request(alice)
    response = client.get(open_url(token[:-2] + "xx"))
    assert response.status_code == 404
    assert b"(617) 555-0100" in response.content and b"988" in response.content


def test_an_expired_link_gets_the_kind_page(client, alice):
    with time_machine.travel(NOW, tick=False):
        _, token = open_request(alice, expires_at=NOW + dt.timedelta(hours=24))
    with time_machine.travel(NOW + dt.timedelta(hours=25), tick=False):
        response = client.get(open_url(token))
    assert response.status_code == 404
    assert b"does not work any more" in response.content and b"988" in response.content


def test_a_link_expiring_while_the_page_is_open_refuses_further_answers(client, alice):
    with time_machine.travel(NOW, tick=False):
        _, token = open_request(alice, expires_at=NOW + dt.timedelta(hours=1))
        client.get(open_url(token))
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        response = client.post(ANSWER, phq9())
    assert response.status_code == 404
    assert QuestionnaireResponse.objects.count() == 0


def test_a_replayed_link_after_completion_gets_the_kind_page(client, alice):
    _, token = open_request(alice, ["phq-9"])
    client.get(open_url(token))
    assert client.post(ANSWER, phq9(), follow=True).redirect_chain[-1][0] == "/questionnaire/done/"
    other = client.__class__()
    response = other.get(open_url(token))
    assert response.status_code == 410
    assert b"already been answered" in response.content


def test_answers_are_kept_when_the_page_reloads(client, alice):
    request, token = open_request(alice)
    client.get(open_url(token))
    half = {"shown": PHQ9_SHOWN, "q1": "2", "q2": "3"}  # the rest not yet answered
    response = client.post(ANSWER, half)
    assert response.status_code == 200
    assert response.content.count(b"Please choose an answer") == 7
    reloaded = client.get(ANSWER).content.decode()
    assert 'name="q1" value="2" id="id_q1_2" required checked' in reloaded
    assert 'name="q2" value="3" id="id_q2_3" required checked' in reloaded
    request.refresh_from_db()
    assert request.draft == {"phq-9": {"1": 2, "2": 3}}


def test_a_safety_answer_raises_the_alert_even_if_the_patient_stops_there(client, alice):
    _, token = open_request(alice)
    client.get(open_url(token))
    response = client.post(ANSWER, {"q9": "2"})  # item 9, nothing else, then gone
    assert b"You do not have to face this alone" in response.content
    alert = SafetyAlert.objects.get(patient=alice)
    assert "suicide-risk" in alert.flags and alert.source == "pre_visit:phq-9"
    assert alert.reasons[0]["number"] == "9"


def test_the_completed_questionnaire_adds_to_the_same_alert(client, alice):
    _, token = open_request(alice)
    client.get(open_url(token))
    client.post(ANSWER, {"q9": "1"})
    response = client.post(ANSWER, phq9(q9="1"), follow=True)
    assert response.redirect_chain[-1][0] == CSSRS
    assert b"You do not have to face this alone" in response.content  # on the next step too
    assert SafetyAlert.objects.filter(patient=alice).count() == 1
    stored = QuestionnaireResponse.objects.get(patient=alice)
    assert (stored.instrument, stored.total, stored.source) == ("phq-9", 1, "pre_visit")


def test_a_yes_on_the_cssrs_opens_its_questions_on_the_same_screen(client, alice):
    _, token = open_request(alice, ["c-ssrs-screener"])
    client.get(open_url(token))
    response = client.post(CSSRS, {"shown": ["q1", "q2", "q6"], "q1": "yes", "q2": "yes",
                                   "q6": "no"})  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="q3"' in page and 'name="q5"' in page
    assert "a few more questions follow" in page and "Please choose an answer" not in page
    assert SafetyAlert.objects.get(patient=alice).tier == "low"
    shown = ["q1", "q2", "q3", "q4", "q5", "q6"]
    answers = {"q1": "yes", "q2": "yes", "q3": "no", "q4": "yes", "q5": "no", "q6": "no"}
    response = client.post(CSSRS, {"shown": shown, **answers}, follow=True)
    assert response.redirect_chain[-1][0] == "/questionnaire/done/"
    alert = SafetyAlert.objects.get(patient=alice)
    assert alert.tier == "high"
    assert QuestionnaireResponse.objects.get(patient=alice).instrument == "c-ssrs-screener"


def test_completing_every_questionnaire_completes_the_request(client, alice):
    request, token = open_request(alice)
    client.get(open_url(token))
    client.post(ANSWER, phq9(q1="2", q2="1"))
    response = client.post(CSSRS, {"shown": ["q1", "q2", "q6"], "q1": "no", "q2": "no",
                                   "q6": "no"}, follow=True)  # fmt: skip
    assert b"Thank you" in response.content
    request.refresh_from_db()
    assert request.status == "completed" and request.completed_at and request.draft == {}
    assert sorted(QuestionnaireResponse.objects.values_list("instrument", "total")) == [
        ("c-ssrs-screener", None), ("phq-9", 3)
    ]  # fmt: skip
    assert not SafetyAlert.objects.exists()


def test_an_answer_out_of_range_is_refused_kindly_and_nothing_is_stored(client, alice):
    _, token = open_request(alice, ["phq-9"])
    client.get(open_url(token))
    response = client.post(ANSWER, phq9(q3="7"))
    assert response.status_code == 200
    assert b"Please choose one of the answers shown" in response.content
    assert QuestionnaireResponse.objects.count() == 0


def test_without_a_link_the_pages_say_so_kindly(client, alice):
    assert client.get(ANSWER).status_code == 404
    assert client.get(reverse("outcomes:next")).status_code == 404


def test_the_page_speaks_spanish(client, alice, settings):
    _, token = open_request(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.get(open_url(token))
    page = client.get(ANSWER).content.decode()
    assert '<html lang="es">' in page
    assert "Cuestionario 1 de 2" in page
