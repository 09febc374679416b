"""Replayed or out-of-order POSTs (the Back button, a double click, an old tab) never
corrupt a screening: no second lead, no lost flag, nothing saved out of turn."""

import pytest

from dendrite.audit.models import AuditEvent
from dendrite.leads.models import Lead
from dendrite.screening.models import ScreeningSession

from .helpers import CALM, RESULT, contact, scores, start, treatment, url, walk

pytestmark = pytest.mark.django_db


def screening() -> ScreeningSession:
    return ScreeningSession.objects.get()


def test_replaying_step_1_updates_the_one_lead_instead_of_adding_another(client, boston):
    start(client, boston)
    start(client, boston)
    assert Lead.objects.count() == 1 and ScreeningSession.objects.count() == 1


def test_replaying_an_old_page_after_the_end_changes_nothing(client, boston):
    walk(client, boston, mood=scores(9, 2, q9=0), treatment=treatment(2))
    before = screening()
    lead_before = Lead.objects.values().get()
    for slug, data in [("mood", scores(9, 3, q9=0)), ("treatment", treatment(0))]:
        assert client.post(url(slug), data).url == RESULT
    assert client.post(url("contact"), contact(boston, name="Other")).url == RESULT
    after = screening()
    assert (after.answers, after.results, after.flags, after.outcome) == (
        before.answers,
        before.results,
        before.flags,
        before.outcome,
    )
    assert Lead.objects.values().get() == lead_before
    assert AuditEvent.objects.filter(action="screening.session.finish").count() == 1


def test_a_post_to_a_page_not_reached_saves_nothing(client, boston):
    walk(client, boston, stop_at="alcohol")
    assert client.post(url("safety"), {"q1": "no", "q2": "no"}).url == url("alcohol")
    assert "safety" not in screening().answers and screening().flags == {}


def test_a_safety_answer_replayed_after_the_end_is_kept_though(client, boston):
    walk(client, boston)
    assert client.post(url("mood"), scores(9, 3, q9=3)).url == RESULT
    assert screening().answers["mood"]["9"] == 3
    assert screening().flags == {"phq-9": ["suicide-risk"]}
    assert screening().answers["mood"]["1"] == 0  # the rest of the page is not stored


def test_a_post_to_a_page_that_no_longer_applies_saves_nothing(client, boston):
    walk(client, boston, stop_at="alcohol")
    client.post(url("alcohol"), scores(3, 1))  # positive for a woman
    client.post(url("alcohol"), scores(3))  # changed: negative
    more = {f"q{n}": "4" for n in range(4, 9)} | {"q9": "4", "q10": "4"}
    assert client.post(url("alcohol-more"), more).url == url("drugs")
    assert set(screening().answers["alcohol"]) == {"1", "2", "3"}
    assert "audit" not in screening().results


def test_revising_an_earlier_page_keeps_the_later_answers_and_goes_on_in_order(client, boston):
    walk(client, boston, stop_at="health")
    assert client.post(url("mood"), scores(9, 1)).url == url("anxiety")
    assert screening().results["phq-9"]["total"] == 9
    assert set(screening().answers) >= {"anxiety", "alcohol", "drugs", "safety"}
    assert screening().step == "health"


def test_a_double_submitted_last_page_finishes_once(client, boston):
    walk(client, boston, stop_at="treatment")
    assert client.post(url("treatment"), CALM["treatment"]).url == RESULT
    assert client.post(url("treatment"), treatment(0)).url == RESULT
    assert AuditEvent.objects.filter(action="screening.session.finish").count() == 1
    assert screening().answers["treatment"]["antidepressants"] == 2


def test_a_flag_survives_a_replayed_calm_page(client, boston):
    walk(client, boston, stop_at="anxiety", mood=scores(9, q9=1))
    client.post(url("mood"), scores(9))
    client.post(url("mood"), scores(9))
    assert screening().flags == {"phq-9": ["suicide-risk"]}
    assert Lead.objects.get().urgent
