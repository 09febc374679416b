"""The safety step (C-SSRS: asked or offered, skip logic on the server) and the alcohol
step (the full AUDIT only after a positive AUDIT-C)."""

import pytest

from dendrite.leads.models import Lead
from dendrite.screening.models import ScreeningSession

from .helpers import contact, scores, start, url, walk, yes_no

pytestmark = pytest.mark.django_db


def screening() -> ScreeningSession:
    return ScreeningSession.objects.get()


def html(client, slug: str) -> str:
    return client.get(url(slug)).content.decode()


# C-SSRS: always asked after PHQ-9 item 9 >= 1, otherwise offered - CLINICAL.md §6 rule 1


def test_without_item_9_the_c_ssrs_is_offered_and_may_be_skipped(client, boston):
    walk(client, boston, stop_at="safety")
    page = html(client, "safety")
    assert "Step 6 of 8" in page and "They are optional" in page
    assert 'name="skip"' in page
    response = client.post(url("safety"), {"skip": "1"})
    assert response.url == url("health")
    assert screening().answers["safety"] == {"skipped": True}
    assert "c-ssrs-screener" not in screening().results


def test_after_item_9_the_c_ssrs_is_asked_and_cannot_be_skipped(client, boston):
    walk(client, boston, stop_at="safety", mood=scores(9, q9=1))
    page = html(client, "safety")
    assert 'name="skip"' not in page and "please answer these questions" in page
    response = client.post(url("safety"), {"skip": "1"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"q1", "q2"}
    assert "safety" not in screening().answers


def test_a_skip_does_not_count_once_item_9_is_raised_later(client, boston):
    walk(client, boston, stop_at="safety")
    client.post(url("safety"), {"skip": "1"})
    client.post(url("mood"), scores(9, q9=1))
    assert client.get(url("health")).url == url("safety")


def test_questions_3_to_5_come_only_after_a_yes_to_question_2(client, boston):
    walk(client, boston, stop_at="safety")
    client.post(url("safety"), yes_no("1", "2"))
    page = html(client, "safety-more")
    assert 'name="q6"' in page and 'name="q3"' not in page
    client.post(url("safety"), yes_no("1", "2", yes=("2",)))
    page = html(client, "safety-more")
    assert all(f'name="q{n}"' in page for n in (3, 4, 5, 6))


def test_a_stale_answer_to_question_3_is_not_stored_when_question_2_is_no(client, boston):
    walk(client, boston, stop_at="safety")
    client.post(url("safety"), yes_no("1", "2"))
    response = client.post(url("safety-more"), yes_no("3", "6", yes=("3",)))
    assert response.url == url("health")
    assert screening().answers["safety"] == {"1": False, "2": False, "6": False}
    # ...but a "yes" is never lost: its flag is raised (test_safety_answers_kept.py)
    assert screening().flags == {"c-ssrs-screener": ["suicide-risk"]}


def test_the_past_3_months_follow_up_comes_only_after_a_yes_to_question_6(client, boston):
    walk(client, boston, stop_at="safety")
    client.post(url("safety"), yes_no("1", "2"))
    assert client.post(url("safety-more"), yes_no("6", yes=("6",))).url == url("safety-when")
    page = html(client, "safety-when")
    assert "6a. Was this within the past 3 months?" in page
    assert "prepared to do something to end your life" in page
    assert client.post(url("safety-when"), yes_no("6a")).url == url("health")
    assert screening().results["c-ssrs-screener"]["band"] == "moderate"
    assert Lead.objects.get().urgent


def test_a_no_to_question_6_goes_straight_to_health(client, boston):
    walk(client, boston, stop_at="safety")
    client.post(url("safety"), yes_no("1", "2"))
    assert client.post(url("safety-more"), yes_no("6")).url == url("health")
    assert screening().results["c-ssrs-screener"]["band"] == "none"
    assert client.get(url("safety-when")).url == url("health")


# AUDIT only after a positive AUDIT-C: >=3 women, >=4 men - CLINICAL.md §1.5 [R25]


def test_an_audit_c_of_3_is_positive_for_a_woman_and_asks_the_rest_of_the_audit(client, boston):
    walk(client, boston, stop_at="alcohol")
    assert client.post(url("alcohol"), scores(3, 1)).url == url("alcohol-more")
    page = html(client, "alcohol-more")
    assert "Step 4 of 8" in page and 'name="q4"' in page and 'name="q10"' in page
    assert "AUDIT © World Health Organization" in page


def test_an_audit_c_of_3_is_negative_for_a_man_and_skips_the_rest(client, boston):
    start(client, boston, sex="male")
    client.post(url("mood"), scores(9))
    client.post(url("anxiety"), scores(7))
    assert client.post(url("alcohol"), scores(3, 1)).url == url("drugs")
    assert client.get(url("alcohol-more")).url == url("drugs")
    assert "audit" not in screening().results


def test_the_full_audit_is_scored_from_both_pages_and_reaches_the_lead(client, boston):
    walk(client, boston, stop_at="alcohol")
    client.post(url("alcohol"), {"q1": "3", "q2": "2", "q3": "2"})
    more = {f"q{n}": "1" for n in range(4, 9)} | {"q9": "2", "q10": "4"}
    assert client.post(url("alcohol-more"), more).url == url("drugs")
    audit = screening().results["audit"]
    assert (audit["total"], audit["band"], audit["action_zone"]) == (18, "zone-3", "zone-4")
    assert {
        "instrument": "audit",
        "total": 18,
        "band": "zone-3",
        "flags": [],
        "action_zone": "zone-4",
    } in Lead.objects.get().scores


def test_changing_sex_on_step_1_rescores_the_audit_c(client, boston):
    walk(client, boston, stop_at="alcohol")
    client.post(url("alcohol"), scores(3, 1))
    assert screening().results["audit-c"]["band"] == "positive"
    client.post(url("contact"), contact(boston, sex="male"))
    assert screening().results["audit-c"]["band"] == "negative"
