"""The health step's alcohol questions and the two clinic-configurable health questions:
asked in plain words (in Spanish too), required like the others, kept on the lead, and
routed by the triage rules end to end."""

import pytest
from django.conf import settings

from dendrite.leads.models import Lead, Outcome

from .helpers import RESULT, health, scores, treatment, url, walk

pytestmark = pytest.mark.django_db

NEW = {
    "ketamine_reaction": "Apart from an allergy, have you ever had a serious bad reaction to"
    " ketamine or esketamine (Spravato)?",
    "hyperthyroidism": "Do you have an overactive thyroid (hyperthyroidism) that is not under"
    " control?",
    "alcohol_withdrawal": "Have you ever had bad withdrawal after stopping or cutting down"
    " alcohol: a seizure (fit), the DTs (delirium tremens: severe confusion, seeing or hearing"
    " things), or shaking so bad that you needed medicine for it?",
    "alcohol_24_hours": "Would you be unable to go without alcohol for the 24 hours before each"
    " treatment?",
}
SPANISH = (
    "Sin contar una alergia, ¿alguna vez ha tenido una mala reacción grave a la ketamina",
    "¿Tiene la tiroides hiperactiva (hipertiroidismo) y no está controlada?",
    "¿Alguna vez ha tenido una abstinencia fuerte al dejar o reducir el alcohol",
    "¿Le sería imposible pasar sin beber alcohol las 24 horas antes de cada tratamiento?",
    "Las dos últimas preguntas son sobre el alcohol. Si no bebe alcohol, responda “No”.",
)
DEPRESSED = scores(9, 2, q9=0)  # PHQ-9 16


def test_the_health_step_asks_the_new_questions_in_plain_words(client, boston):
    walk(client, boston, stop_at="health")
    html = client.get(url("health")).content.decode()
    for text in NEW.values():
        assert text in html
    assert "The last two questions are about alcohol. If you do not drink, answer “No”." in html


def test_the_new_questions_read_in_spanish(client, boston):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    walk(client, boston, stop_at="health")
    html = client.get(url("health")).content.decode()
    for text in SPANISH:
        assert text in html
    for text in NEW.values():
        assert text not in html


@pytest.mark.parametrize("question", NEW)
def test_each_new_question_needs_an_answer(client, boston, question):
    walk(client, boston, stop_at="health")
    given = health()
    del given[question]
    response = client.post(url("health"), given)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {question}


def test_the_lead_keeps_the_new_answers_in_words_for_staff(client, boston):
    walk(client, boston, health=health(alcohol_withdrawal="yes"))
    answers = Lead.objects.get().answers
    assert answers["health"]["alcohol_withdrawal"] == "yes"
    said = {row["question"]: row["answer"] for row in answers["health_summary"]}
    assert said[NEW["alcohol_withdrawal"]] == "yes"
    assert said[NEW["alcohol_24_hours"]] == "no"


# Bad alcohol withdrawal: higher level of care first, CLINICAL.md §4 [R77a][R77b][R76c];
# unable to go 24 hours without alcohol: not suitable now, §3.2 [R66]; the AUDIT's
# dependence items at 4 or more: higher level of care first, §1.4 [R19] and §4.
ALCOHOL_MORE = {f"q{n}": "0" for n in range(4, 11)}


@pytest.mark.parametrize(
    ("pages", "outcome", "rule"),
    [
        (
            {"health": health(alcohol_withdrawal="yes")},
            Outcome.HIGHER_LEVEL_OF_CARE,
            "alcohol-withdrawal-history",
        ),
        (
            {"health": health(alcohol_24_hours="yes")},
            Outcome.NOT_SUITABLE_NOW,
            "cannot-go-24-hours-without-alcohol",
        ),
        (
            {
                "alcohol": {"q1": "2", "q2": "1", "q3": "1"},  # AUDIT-C 4: positive
                "alcohol_more": ALCOHOL_MORE | {"q4": "2", "q5": "1", "q6": "1"},
            },
            Outcome.HIGHER_LEVEL_OF_CARE,
            "audit-dependence-items",
        ),
        (
            {"health": health(hyperthyroidism="yes")},
            Outcome.NEEDS_CLINICAL_REVIEW,
            "uncontrolled-hyperthyroidism",
        ),
        (
            {"health": health(ketamine_reaction="yes")},
            Outcome.NEEDS_CLINICAL_REVIEW,
            "past-bad-reaction-to-ketamine",
        ),
    ],
    ids=["withdrawal", "24-hours", "dependence", "thyroid", "reaction"],
)
def test_each_new_rule_routes_a_finished_screening(client, boston, pages, outcome, rule):
    response = walk(client, boston, mood=DEPRESSED, treatment=treatment(2), **pages)
    assert response.url == RESULT
    lead = Lead.objects.get()
    assert lead.triage_outcome == outcome
    assert lead.triage_rules[0]["rule"] == rule
    assert lead.triage_rules[0]["text"] in client.get(RESULT).content.decode()


def test_dependence_items_at_3_do_not_change_the_route(client, boston):
    walk(
        client,
        boston,
        mood=DEPRESSED,
        treatment=treatment(2),
        alcohol={"q1": "2", "q2": "1", "q3": "1"},
        alcohol_more=ALCOHOL_MORE | {"q4": "1", "q5": "1", "q6": "1"},
    )
    lead = Lead.objects.get()
    assert lead.triage_outcome == Outcome.LIKELY_CANDIDATE
    assert "audit-dependence-items" not in [rule["rule"] for rule in lead.triage_rules]
