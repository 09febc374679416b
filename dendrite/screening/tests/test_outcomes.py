"""Each of the five outcomes, reached end to end; the result page and the finished lead."""

import pytest

from dendrite.audit.models import AuditEvent
from dendrite.leads.models import Lead, Outcome
from dendrite.screening.models import ScreeningSession

from .helpers import RESULT, health, scores, treatment, walk, yes_no

pytestmark = pytest.mark.django_db

DEPRESSED = scores(9, 2, q9=0)  # PHQ-9 16


@pytest.mark.parametrize(
    ("answers", "outcome", "heading", "rule"),
    [
        (
            {"mood": scores(9, q9=1), "safety": yes_no("1", "2")},
            Outcome.URGENT_SAFETY,
            "Your safety comes first",
            "phq9-item9",
        ),
        (
            {"drugs": yes_no(*map(str, range(1, 11)), yes=("1", "2", "4", "5", "6", "7"))},
            Outcome.HIGHER_LEVEL_OF_CARE,
            "Another kind of care should come first",
            "dast-substantial-or-severe",
        ),
        (
            {"mood": DEPRESSED, "health": health(psychosis_mania="yes")},
            Outcome.NOT_SUITABLE_NOW,
            "Ketamine may not be safe for you right now",
            "psychosis-or-mania",
        ),
        (
            {"mood": DEPRESSED, "treatment": treatment(1)},
            Outcome.NEEDS_CLINICAL_REVIEW,
            "A clinician needs to look at your answers",
            "too-few-antidepressant-trials",
        ),
        (
            {"mood": DEPRESSED, "treatment": treatment(2)},
            Outcome.LIKELY_CANDIDATE,
            "Ketamine treatment may be worth discussing",
            "treatment-resistant-depression",
        ),
    ],
    ids=["urgent-safety", "higher-level-of-care", "not-suitable-now", "review", "candidate"],
)
def test_each_outcome_is_reached_end_to_end(client, boston, answers, outcome, heading, rule):
    response = walk(client, boston, **answers)
    assert response.url == RESULT
    page = client.get(RESULT)
    html = page.content.decode()
    assert f"<h1>{heading}</h1>" in html
    reason = next(r for r in ScreeningSession.objects.get().fired if r["rule"] == rule)
    assert reason["text"] in html
    assert "A screening is not a diagnosis" in html
    assert 'href="tel:+16175550100"' in html and 'href="/contact/"' in html
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert "no-store" in page["Cache-Control"]
    lead = Lead.objects.get()
    assert lead.triage_outcome == outcome
    assert lead.triage_rules[0]["rule"] == rule
    assert set(lead.triage_rules[0]) == {"rule", "outcome", "text", "source"}


def test_the_finished_lead_has_scores_flags_and_rules(client, clinic):
    walk(client, clinic, mood=DEPRESSED, treatment=treatment(2))
    lead = Lead.objects.get()
    assert lead.scores == [
        {"instrument": "phq-9", "total": 16, "band": "moderately-severe", "flags": []},
        {"instrument": "gad-7", "total": 0, "band": "minimal", "flags": []},
        {"instrument": "audit-c", "total": 0, "band": "negative", "flags": []},
        {"instrument": "dast-10", "total": 0, "band": "none", "flags": []},
        {"instrument": "c-ssrs-screener", "total": None, "band": "none", "flags": []},
    ]
    assert lead.flags == [] and not lead.urgent
    screening = ScreeningSession.objects.get()
    assert screening.finished and screening.rules_version == "triage-v2"
    assert AuditEvent.objects.filter(action="screening.session.finish").count() == 1


def test_the_result_never_promises_treatment(client, boston):
    walk(client, boston, mood=DEPRESSED, treatment=treatment(3))
    html = client.get(RESULT).content.decode().lower()
    for promise in ("you qualify", "you are eligible", "we will treat", "guarantee"):
        assert promise not in html
    assert "only a consultation with a clinician can tell" in html


def test_other_fired_rules_are_listed_apart_from_the_ones_that_decided(client, boston):
    walk(client, boston, mood=DEPRESSED, health=health(liver="yes"), treatment=treatment(1))
    html = client.get(RESULT).content.decode()
    assert "Other things a clinician will go through with you" not in html  # all are reviews
    client.post("/screening/restart/")
    walk(client, boston, mood=scores(9, q9=1), health=health(seizures="yes"))
    html = client.get(RESULT).content.decode()
    assert "Other things a clinician will go through with you" in html
    assert "seizures recently" in html


def test_the_result_before_the_end_leads_back_to_the_screening(client, boston):
    walk(client, boston, stop_at="drugs")
    assert client.get(RESULT).url == "/screening/step/drugs/"
    assert client.get("/screening/result/", follow=False).status_code == 302
