"""Due questionnaires answered on outcomes' own pages (same safety behaviour); the
patient's progress in plain words; plans and the diary one tap away."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from dendrite.alerts.models import SafetyAlert
from dendrite.outcomes.chart import scores
from dendrite.outcomes.tests.conftest import open_request, phq9
from dendrite.outcomes.tests.outcome_data import add_infusion_visit, add_score
from dendrite.portal.progress import sentence
from dendrite.recovery.actions import issue_diary_link, sign_plan

from .conftest import portal_client


def test_due_questionnaires_are_listed_and_open_on_the_outcomes_pages(alice_in):
    questionnaire, _ = open_request(alice_in, ["phq-9"])
    client = portal_client(alice_in)
    assert b"1 questionnaire to fill in" in client.get("/portal/").content
    page = client.get("/portal/questionnaires/")
    assert b"Mood" in page.content
    response = client.post(f"/portal/questionnaires/{questionnaire.pk}/start/")
    assert response.url == "/questionnaire/"
    assert client.get("/questionnaire/").url == "/questionnaire/phq-9/"
    done = client.post("/questionnaire/phq-9/", phq9(q1="2", q2="2"))
    assert done.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.completed_at is not None
    assert b'href="/portal/questionnaires/"' in client.get("/questionnaire/done/").content
    assert b"Nothing to fill in right now" in client.get("/portal/questionnaires/").content


def test_a_safety_answer_in_the_portal_raises_the_alert(alice_in):
    questionnaire, _ = open_request(alice_in, ["phq-9"])
    client = portal_client(alice_in)
    client.post(f"/portal/questionnaires/{questionnaire.pk}/start/")
    page = client.post("/questionnaire/phq-9/", phq9(q9="2"), follow=True)
    assert SafetyAlert.objects.filter(patient=alice_in).exists()
    assert b"988" in page.content


def test_an_expired_questionnaire_is_not_offered(alice_in):
    past = timezone.now() - dt.timedelta(minutes=1)
    questionnaire, _ = open_request(alice_in, ["phq-9"], expires_at=past)
    client = portal_client(alice_in)
    assert b"Nothing to fill in" in client.get("/portal/questionnaires/").content
    assert client.post(f"/portal/questionnaires/{questionnaire.pk}/start/").status_code == 404


def test_the_sentence_in_plain_words():
    assert sentence("PHQ-9", 19, 8, True) == (
        "Your PHQ-9 score went from 19 to 8 since your first infusion."
    )
    assert "went up from 8 to 12" in sentence("PHQ-9", 8, 12, True)
    assert "the same as before" in sentence("PHQ-9", 8, 8, True)
    assert sentence("PHQ-9", None, 8, False) == "Your latest PHQ-9 score is 8."


def test_progress_shows_the_trend_since_the_first_infusion(alice_in, nurse):
    start = timezone.now() - dt.timedelta(days=30)
    add_score(alice_in, start, 19)
    add_infusion_visit(alice_in, start + dt.timedelta(days=1), nurse)
    add_score(alice_in, start + dt.timedelta(days=20), 8)
    page = portal_client(alice_in).get("/portal/progress/")
    assert b"went from 19 to 8 since your first infusion" in page.content
    assert b"<svg" in page.content


def test_plans_and_diary_one_tap_away(alice_in, nurse):
    sign_plan(alice_in, kind="safety", content={"warning_signs": "Not sleeping"}, by=nurse)
    issue_diary_link(alice_in, by=nurse)
    client = portal_client(alice_in)
    page = client.get("/portal/progress/")
    assert b"/portal/progress/plans/safety/" in page.content
    assert b"Open my drinking diary" in page.content
    plan = client.get("/portal/progress/plans/safety/")
    assert b"Not sleeping" in plan.content and b"988" in plan.content
    assert client.get("/portal/progress/plans/relapse/").status_code == 404
    assert client.post("/portal/progress/diary/").url == "/diary/"
    assert client.get("/diary/").status_code == 200


def _answer_phq9(patient, language: str, **answers: str):
    questionnaire, _ = open_request(patient, ["phq-9"])
    client = portal_client(patient)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.post(f"/portal/questionnaires/{questionnaire.pk}/start/")
    page = client.get("/questionnaire/phq-9/").content.decode()
    done = client.post("/questionnaire/phq-9/", phq9(**answers), follow=True)
    return page, done, [point.score for point, _band in scores(patient)["phq-9"]]


def test_the_spanish_phq9_reads_in_spanish_and_scores_the_same(alice_in, bob_in):
    page, _, english = _answer_phq9(bob_in, "en", q1="2", q2="3", q5="1")
    assert "Little interest or pleasure" in page
    page, _, spanish = _answer_phq9(alice_in, "es", q1="2", q2="3", q5="1")
    assert "Poco interés o placer en hacer cosas" in page
    assert "Más de la mitad de los días" in page
    assert "Little interest" not in page and 'lang="en"' not in page.split("<main")[1]
    assert spanish == english == [6]


def test_item_9_in_spanish_raises_the_same_alert(alice_in):
    page, done, _ = _answer_phq9(alice_in, "es", q9="1")
    assert "lastimarse de alguna manera" in page
    assert SafetyAlert.objects.filter(patient=alice_in).exists()
    assert b"988" in done.content
