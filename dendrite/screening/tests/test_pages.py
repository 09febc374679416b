"""The pages and their order, without a browser or a database (pages.py and answers.py)."""

from collections import Counter

from dendrite.instruments import loader
from dendrite.screening import answers as recorded
from dendrite.screening import pages
from dendrite.screening.pages import PAGES, State, page


def slugs(state: State) -> list[str]:
    return [p.slug for p in pages.sequence(state)]


def shown(slug: str, state: State) -> list[str]:
    return [item.link_id for item in pages.items(page(slug), state)]


def after(state: State, slug: str, values: dict) -> State:
    return recorded.record(state, page(slug), values)


STARTED = State(answers={"contact": {"age_band": "25-34", "sex": "male"}})


def test_no_page_asks_a_question_that_depends_on_another_on_the_same_page():
    # Without JavaScript the server can only apply skip logic between pages.
    for p in PAGES:
        if p.instrument:
            for item in (loader.get_item(p.instrument, link_id) for link_id in p.link_ids):
                assert not {when.question for when in item.enable_when} & set(p.link_ids), p.slug


def test_every_question_of_every_questionnaire_is_on_exactly_one_page():
    asked = Counter((p.instrument, link_id) for p in PAGES for link_id in p.link_ids)
    assert set(asked.values()) == {1}
    for code in ("phq-9", "gad-7", "audit-c", "dast-10", "c-ssrs-screener"):
        assert {link_id for (c, link_id) in asked if c == code} == set(loader.item_order(code))
    assert {link_id for (c, link_id) in asked if c == "audit"} == set(
        loader.item_order("audit")[3:]
    )


def test_there_are_eight_steps_and_a_fresh_screening_starts_at_the_first():
    assert [step.number for step in pages.STEPS] == list(range(1, 9))
    assert pages.first_incomplete(State()) is pages.FIRST
    assert not pages.reachable(page("mood"), State())


def test_a_negative_audit_c_skips_the_rest_of_the_audit_and_a_positive_one_asks_it():
    state = after(STARTED, "alcohol", {"1": 1, "2": 1, "3": 1})  # 3: below 4 for men
    assert "alcohol-more" not in slugs(state)
    state = after(STARTED, "alcohol", {"1": 2, "2": 1, "3": 1})  # 4: positive for men
    assert "alcohol-more" in slugs(state)
    assert shown("alcohol-more", state) == ["4", "5", "6", "7", "8", "9", "10"]


def test_the_rest_of_the_audit_follows_its_own_skip_logic():
    # All points from question 1: the AUDIT goes on at question 9 - CLINICAL.md §1.4 [R23]
    state = after(STARTED, "alcohol", {"1": 4, "2": 0, "3": 0})
    assert shown("alcohol-more", state) == ["9", "10"]


def test_a_changed_audit_c_drops_audit_answers_no_longer_asked():
    state = after(STARTED, "alcohol", {"1": 2, "2": 1, "3": 1})
    state = after(state, "alcohol-more", {str(q): 1 for q in range(4, 9)} | {"9": 0, "10": 0})
    assert state.results["audit"]["total"] == 9
    state = after(state, "alcohol", {"1": 4, "2": 0, "3": 0})
    assert set(state.answers["alcohol"]) == {"1", "2", "3", "9", "10"}
    assert state.results["audit"]["total"] == 4
    state = after(state, "alcohol", {"1": 0, "2": 0, "3": 0})
    assert "audit" not in state.results and set(state.answers["alcohol"]) == {"1", "2", "3"}


def test_c_ssrs_questions_3_to_5_come_only_after_a_yes_to_question_2():
    state = after(STARTED, "safety", {"1": False, "2": False})
    assert shown("safety-more", state) == ["6"]
    state = after(STARTED, "safety", {"1": False, "2": True})
    assert shown("safety-more", state) == ["3", "4", "5", "6"]


def test_the_c_ssrs_follow_up_comes_only_after_a_yes_to_question_6():
    state = after(STARTED, "safety", {"1": False, "2": False})
    state = after(state, "safety-more", {"6": False})
    assert "safety-when" not in slugs(state)
    state = after(state, "safety-more", {"6": True})
    assert "safety-when" in slugs(state)
    assert "c-ssrs-screener" not in state.results  # not finished until 6a
    state = after(state, "safety-when", {"6a": False})
    assert state.results["c-ssrs-screener"]["band"] == "moderate"


def test_one_yes_on_the_first_c_ssrs_page_raises_the_flag_at_once():
    state = after(STARTED, "safety", {"1": True, "2": False})
    assert "c-ssrs-screener" not in state.results
    assert state.flags["c-ssrs-screener"] == ["suicide-risk"]


def test_a_changed_answer_never_drops_a_flag():
    state = after(STARTED, "mood", {str(q): 0 for q in range(1, 9)} | {"9": 2})
    state = after(state, "mood", {str(q): 0 for q in range(1, 10)})
    assert state.results["phq-9"]["flags"] == []
    assert state.flags == {"phq-9": ["suicide-risk"]}
    assert recorded.flags_of(state) == ["suicide-risk"]
    assert recorded.results_for_triage(state)["phq-9"]["flags"] == ["suicide-risk"]


def test_a_c_ssrs_yes_cannot_be_skipped_away_its_answers_and_flag_stay():
    state = after(STARTED, "safety", {"1": True, "2": False})
    assert pages.safety_required(state)  # a "yes": the rest of the C-SSRS matters
    state = recorded.skip_safety(state)
    assert state.answers["safety"] == {"1": True, "2": False}
    assert not pages.complete(page("safety-more"), state)
    assert state.flags["c-ssrs-screener"] == ["suicide-risk"]
    assert recorded.lead_scores(state) == [
        {
            "instrument": "c-ssrs-screener",
            "total": None,
            "band": "not-scored",
            "flags": ["suicide-risk"],
        }
    ]


def test_the_c_ssrs_is_required_after_phq9_item_9_and_a_skip_then_no_longer_counts():
    state = recorded.skip_safety(STARTED)
    assert pages.complete(page("safety"), state)
    state = after(state, "mood", {str(q): 0 for q in range(1, 9)} | {"9": 1})
    assert pages.safety_required(state)
    assert not pages.complete(page("safety"), state)


def test_next_returns_to_an_earlier_page_still_unanswered():
    state = after(STARTED, "mood", {str(q): 0 for q in range(1, 10)})
    assert pages.next_page(page("contact"), state) is page("mood")
    assert pages.next_page(page("mood"), state) is page("anxiety")
    assert pages.next_page(page("treatment"), state) is page("anxiety")
    assert not pages.reachable(page("drugs"), state)
