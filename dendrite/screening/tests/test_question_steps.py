"""Steps 2 to 8 with the test client: each page's happy path, and bad input that gets a
message per question, keeps what was chosen and moves nothing on."""

import pytest

from dendrite.leads.models import Lead
from dendrite.screening.models import ScreeningSession

from .helpers import CALM, health, scores, start, treatment, url, walk, yes_no

pytestmark = pytest.mark.django_db


def screening() -> ScreeningSession:
    return ScreeningSession.objects.get()


def test_mood_asks_all_phq9_questions_as_radio_groups_with_legends(client, boston):
    start(client, boston)
    html = client.get(url("mood")).content.decode()
    assert "Step 2 of 8" in html
    assert "Over the last 2 weeks" in html
    assert html.count("<fieldset") == 10  # nine scored questions and the difficulty question
    assert "<legend>9. Thoughts that you would be better off dead" in html
    assert "PHQ-9 © Pfizer Inc." in html


def test_answered_mood_is_scored_stored_and_passed_to_the_lead(client, boston):
    start(client, boston)
    response = client.post(url("mood"), scores(9, 2, q9=0) | {"qdifficulty": "LA6575-0"})
    assert response.url == url("anxiety")
    assert screening().answers["mood"]["difficulty"] == "LA6575-0"
    assert screening().results["phq-9"]["total"] == 16
    assert Lead.objects.get().scores == [
        {"instrument": "phq-9", "total": 16, "band": "moderately-severe", "flags": []}
    ]


def test_the_difficulty_question_may_be_left_out(client, boston):
    start(client, boston)
    assert client.post(url("mood"), scores(9)).url == url("anxiety")
    assert "difficulty" not in screening().answers["mood"]


def test_unanswered_mood_questions_each_get_a_message_keep_the_answers_and_move_nothing_on(
    client, boston
):
    start(client, boston)
    response = client.post(url("mood"), {"q1": "2", "q2": "3"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {f"q{n}" for n in range(3, 10)}
    assert errors["q9"] == ["Please choose an answer to this question."]
    html = response.content.decode()
    assert 'value="2" id="id_q1_2" required checked' in html
    assert 'value="3" id="id_q2_3" required checked' in html
    assert 'aria-describedby="id_q9_error"' in html
    assert "mood" not in screening().answers and screening().step == "mood"
    assert client.get(url("anxiety")).url == url("mood")


def test_an_answer_that_is_not_offered_is_refused(client, boston):
    start(client, boston)
    response = client.post(url("mood"), scores(9) | {"q1": "7"})
    assert response.context["form"].errors == {"q1": ["Please choose one of the answers shown."]}
    assert "mood" not in screening().answers


@pytest.mark.parametrize(
    ("slug", "good", "next_slug", "count"),
    [
        ("anxiety", scores(7, 1), "alcohol", 7),
        ("alcohol", scores(3), "drugs", 3),
        ("drugs", CALM["drugs"], "safety", 10),
    ],
)
def test_each_questionnaire_page_takes_good_answers_and_refuses_none(
    client, boston, slug, good, next_slug, count
):
    walk(client, boston, stop_at=slug)
    assert client.get(url(slug)).status_code == 200
    bad = client.post(url(slug), {})
    assert bad.status_code == 200 and len(bad.context["form"].errors) == count
    assert slug not in screening().answers
    assert client.post(url(slug), good).url == url(next_slug)
    assert slug in screening().answers


def test_the_dast_10_is_yes_no_and_item_3_is_reverse_scored_by_the_engine(client, boston):
    walk(client, boston, stop_at="drugs")
    client.post(url("drugs"), yes_no(*map(str, range(1, 11)), yes=("1",)))  # item 3 "no": 1 point
    assert screening().results["dast-10"]["total"] == 2
    assert screening().answers["drugs"]["3"] is False


def test_health_history_asks_each_contraindication_as_yes_no_or_not_sure(client, boston):
    walk(client, boston, stop_at="health")
    html = client.get(url("health")).content.decode()
    assert "Step 7 of 8" in html and html.count("<fieldset") == 13
    assert html.count(">Not sure</label>") == 13
    bad = client.post(url("health"), health() | {"seizures": "", "liver": "maybe"})
    assert set(bad.context["form"].errors) == {"seizures", "liver"}
    assert 'value="no" id="id_blood_pressure_1" required checked' in bad.content.decode()
    assert "health" not in screening().answers
    assert client.post(url("health"), health(liver="not-sure")).url == url("treatment")
    assert screening().answers["health"]["liver"] == "not-sure"


def test_treatment_history_needs_trials_and_therapy_and_takes_medicines_and_free_text(
    client, boston
):
    walk(client, boston, stop_at="treatment")
    html = client.get(url("treatment")).content.decode()
    assert "Step 8 of 8" in html and "Lamotrigine (Lamictal)" in html
    bad = client.post(url("treatment"), {"other_medications": "x" * 1001})
    assert set(bad.context["form"].errors) == {"antidepressants", "therapy", "other_medications"}
    assert "x" * 1001 in bad.content.decode()
    assert not screening().finished
    data = treatment(3, "no", medications=["opioids", "maois"], other_medications="sertraline")
    assert client.post(url("treatment"), data).url == "/screening/result/"
    assert screening().answers["treatment"] == {
        "antidepressants": 3,
        "therapy": "no",
        "medications": ["opioids", "maois"],
        "other_medications": "sertraline",
    }


def test_back_leads_to_the_previous_page_with_the_answers_given(client, boston):
    walk(client, boston, stop_at="anxiety")
    html = client.get(url("anxiety")).content.decode()
    assert f'href="{url("mood")}">Back</a>' in html
    mood = client.get(url("mood")).content.decode()
    assert 'value="0" id="id_q1_0" required checked' in mood


def test_a_page_not_reached_yet_leads_to_the_first_unanswered_one(client, boston):
    start(client, boston)
    assert client.get(url("health")).url == url("mood")
    assert client.post(url("health"), health()).url == url("mood")
    assert "health" not in screening().answers


def test_without_a_screening_the_steps_lead_to_the_start_page(client, boston):
    assert client.get(url("mood")).url == "/screening/"
    assert client.post(url("mood"), scores(9)).url == "/screening/"
    assert not ScreeningSession.objects.exists()


def test_an_unknown_page_is_not_found(client, boston):
    start(client, boston)
    assert client.get(url("horoscope")).status_code == 404
