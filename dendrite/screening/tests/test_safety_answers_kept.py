"""A safety answer is kept whatever else happens on the page (issue #10, part 1).

PHQ-9 item 9 above "not at all" and any "yes" on the C-SSRS are stored, flagged, sent to
the lead (urgent, with an open safety alert) and answered with the crisis box, by every
path such an answer can arrive: a valid page, a page with another question left blank,
a post that also asks to skip, a resumed screening, an answer given and then changed,
a page posted out of turn, and a page replayed after the end - CLINICAL.md §6 rules 1
and 2. Tampered values never raise a 500 and never displace a valid answer. (Without
JavaScript: test_browser_safety_kept.py.)
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from dendrite.alerts.models import SafetyAlert
from dendrite.audit.models import AuditEvent
from dendrite.leads.models import Lead, Outcome
from dendrite.screening import answers as recorded
from dendrite.screening.models import ScreeningSession
from dendrite.screening.pages import State, page

from .helpers import CALM, RESULT, scores, start, url, walk, yes_no
from .test_resume import save_link

pytestmark = pytest.mark.django_db

CRISIS_BOX = 'class="crisis-box" role="alert"'
CALL_911_NOW = "please call 911 now"  # the crisis box's words for a high-risk answer
RISK, HIGH = "suicide-risk", "suicide-risk-high"


def screening() -> ScreeningSession:
    return ScreeningSession.objects.get()


def checked(html: str, name: str, value: str) -> bool:
    return re.search(rf'name="{name}" value="{value}"[^>]*\bchecked', html) is not None


# The table: every safety answer, and every way it can arrive --------------------------


@dataclass(frozen=True)
class Answer:
    """One safety answer: the page that asks it, as posted, and where it is kept."""

    page: str
    posted: dict[str, str]  # e.g. {"q9": "2"}
    kept: tuple[str, str, Any]  # step, question, stored value
    flags: tuple[str, ...]  # the lead's flags afterwards
    changed: dict[str, str]  # the same question answered "no" (or "not at all") instead
    blank: str | None = None  # another question of its page, for an invalid page
    before: dict[str, dict[str, Any]] = field(default_factory=dict)  # answers that ask it

    def page_data(self) -> dict[str, Any]:
        return CALM[self.page] | self.posted


Q2_YES = {"safety": yes_no("1", "2", yes=("2",))}  # asks questions 3 to 5
Q6_YES = {"safety-more": yes_no("3", "4", "5", "6", yes=("6",))}  # asks "within 3 months?"

ANSWERS = {
    "phq9-item9-several-days": Answer(
        "mood", {"q9": "1"}, ("mood", "9", 1), (RISK,), {"q9": "0"}, blank="q1"
    ),
    "phq9-item9-more-than-half": Answer(
        "mood", {"q9": "2"}, ("mood", "9", 2), (RISK,), {"q9": "0"}, blank="q1"
    ),
    "phq9-item9-nearly-every-day": Answer(
        "mood", {"q9": "3"}, ("mood", "9", 3), (RISK,), {"q9": "0"}, blank="q1"
    ),
    "cssrs-q1": Answer(
        "safety", {"q1": "yes"}, ("safety", "1", True), (RISK,), {"q1": "no"}, blank="q2"
    ),
    "cssrs-q2": Answer(
        "safety", {"q2": "yes"}, ("safety", "2", True), (RISK,), {"q2": "no"}, blank="q1"
    ),
    "cssrs-q3": Answer(
        "safety-more",
        {"q3": "yes"},
        ("safety", "3", True),
        (RISK,),
        {"q3": "no"},
        blank="q6",
        before=Q2_YES,
    ),
    "cssrs-q4": Answer(
        "safety-more",
        {"q4": "yes"},
        ("safety", "4", True),
        (RISK, HIGH),
        {"q4": "no"},
        blank="q3",
        before=Q2_YES,
    ),
    "cssrs-q5": Answer(
        "safety-more",
        {"q5": "yes"},
        ("safety", "5", True),
        (RISK, HIGH),
        {"q5": "no"},
        blank="q3",
        before=Q2_YES,
    ),
    # Question 6 alone on its page (question 2 "no"): no other question to leave blank.
    "cssrs-q6": Answer("safety-more", {"q6": "yes"}, ("safety", "6", True), (RISK,), {"q6": "no"}),
    "cssrs-q6-with-q3-to-q5": Answer(
        "safety-more",
        {"q6": "yes"},
        ("safety", "6", True),
        (RISK,),
        {"q6": "no"},
        blank="q4",
        before=Q2_YES,
    ),
    # "Within the past 3 months?" is its page's only question: no invalid page carries it.
    "cssrs-q6-within-3-months": Answer(
        "safety-when",
        {"q6a": "yes"},
        ("safety", "6a", True),
        (RISK, HIGH),
        {"q6a": "no"},
        before=Q6_YES,
    ),
}


def walk_to(client: Client, clinic, answer: Answer, stop_at: str = "") -> Any:
    overrides = {slug.replace("-", "_"): data for slug, data in answer.before.items()}
    return walk(client, clinic, stop_at=stop_at, **overrides)


# Each path returns the page the person sees next, and whether the answer is still stored
# as given (after a changed answer it is not: its flag is).


def valid_page(client: Client, clinic, answer: Answer) -> tuple[str, bool]:
    walk_to(client, clinic, answer, stop_at=answer.page)
    response = client.post(url(answer.page), answer.page_data(), follow=True)
    return response.content.decode(), True


def invalid_page(client: Client, clinic, answer: Answer) -> tuple[str, bool]:
    """Another question left blank: only the safety answer is stored, the errors are shown
    with the crisis box, and what was typed stays on the page."""
    assert answer.blank is not None
    walk_to(client, clinic, answer, stop_at=answer.page)
    step = answer.kept[0]
    before = screening().answers.get(step, {})
    data = answer.page_data()
    del data[answer.blank]
    response = client.post(url(answer.page), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {answer.blank}
    html = response.content.decode()
    [(name, value)] = answer.posted.items()
    assert checked(html, name, value)
    _, question, stored = answer.kept
    assert screening().answers[step] == dict(before) | {question: stored}  # nothing else
    return html, True


def skip(client: Client, clinic, answer: Answer) -> tuple[str, bool]:
    """The same post also asks to skip (offered on the C-SSRS's first page; tampered on the
    others): a skip carrying a "yes" is no skip."""
    walk_to(client, clinic, answer, stop_at=answer.page)
    response = client.post(url(answer.page), answer.page_data() | {"skip": "1"}, follow=True)
    assert "skipped" not in screening().answers.get("safety", {})
    return response.content.decode(), True


def resumed(client: Client, clinic, answer: Answer) -> tuple[str, bool]:
    """Saved with a link, then answered in a fresh browser session."""
    walk_to(client, clinic, answer, stop_at=answer.page)
    other_browser = Client()
    assert other_browser.get(save_link(client)).url == url(answer.page)
    response = other_browser.post(url(answer.page), answer.page_data(), follow=True)
    return response.content.decode(), True


def back_and_changed(client: Client, clinic, answer: Answer) -> tuple[str, bool]:
    """Gone on to a later page, back to this one, answered "yes", then changed to "no":
    the answer changes, its flag stays."""
    walk_to(client, clinic, answer, stop_at="health")
    assert client.get(url(answer.page)).status_code == 200  # back
    client.post(url(answer.page), answer.page_data())
    response = client.post(url(answer.page), answer.page_data() | answer.changed, follow=True)
    step, question, _ = answer.kept
    assert screening().answers[step].get(question) in (0, False, None)
    return response.content.decode(), False


def out_of_turn(client: Client, clinic, answer: Answer) -> tuple[str, bool]:
    """The screening stands at the anxiety page; the page is posted out of turn (a replay
    of the mood page, or a C-SSRS page not reached yet), its prerequisites too. The answer
    is kept; nothing is unlocked and no other answer stored."""
    start(client, clinic)
    client.post(url("mood"), CALM["mood"])
    for slug, data in answer.before.items():
        client.post(url(slug), data)
    response = client.post(url(answer.page), answer.page_data())
    assert response.url == url("anxiety")
    assert screening().step == "anxiety"
    assert client.get(url("safety-more")).url == url("anxiety")
    assert set(screening().answers) <= {"contact", "mood", "safety"}
    return client.get(response.url).content.decode(), True


def after_the_end(client: Client, clinic, answer: Answer) -> tuple[str, bool]:
    """The screening was finished; the page is replayed with the answer. It is kept and the
    screening triaged again: the result now puts safety first."""
    assert walk_to(client, clinic, answer).url == RESULT
    response = client.post(url(answer.page), answer.page_data())
    assert response.url == RESULT
    assert screening().outcome == Outcome.URGENT_SAFETY
    assert AuditEvent.objects.filter(action="screening.session.finish").count() == 1
    return client.get(RESULT).content.decode(), True


PATHS: dict[str, Callable[[Client, Any, Answer], tuple[str, bool]]] = {
    "valid": valid_page,
    "invalid": invalid_page,
    "skip": skip,
    "resume": resumed,
    "back-and-change": back_and_changed,
    "out-of-turn": out_of_turn,
    "after-the-end": after_the_end,
}

TABLE = [
    pytest.param(answer, path, id=f"{name}-{path_name}")
    for name, answer in ANSWERS.items()
    for path_name, path in PATHS.items()
    if not (path is invalid_page and answer.blank is None)
]


@pytest.mark.parametrize(("answer", "path"), TABLE)
def test_a_safety_answer_is_kept_flagged_alerted_and_answered_with_the_crisis_box(
    client, clinic, answer, path
):
    html, still_given = path(client, clinic, answer)
    step, question, value = answer.kept
    if still_given:
        assert screening().answers[step][question] == value
    lead = Lead.objects.get()
    assert sorted(lead.flags) == sorted(answer.flags)
    assert lead.urgent and lead.triage_outcome == Outcome.URGENT_SAFETY
    assert SafetyAlert.objects.open().filter(lead=lead).exists()
    assert CRISIS_BOX in html
    assert (CALL_911_NOW in html) == (HIGH in answer.flags)


def test_the_table_covers_every_safety_answer_by_every_path():
    assert len(TABLE) == len(ANSWERS) * len(PATHS) - 2  # two one-question pages: no invalid


# The skip --------------------------------------------------------------------------------


def test_a_skip_posted_with_yes_to_q1_and_q2_stores_them_and_goes_on_to_the_next_questions(
    client, clinic
):
    walk(client, clinic, stop_at="safety")
    response = client.post(url("safety"), {"q1": "yes", "q2": "yes", "skip": "1"})
    assert response.url == url("safety-more")
    assert screening().answers["safety"] == {"1": True, "2": True}
    html = client.get(url("safety-more")).content.decode()
    assert CRISIS_BOX in html and 'name="q4"' in html
    assert 'name="skip"' not in client.get(url("safety")).content.decode()  # no longer optional


def test_a_skip_with_a_yes_and_a_question_left_blank_keeps_the_yes_and_asks_for_the_rest(
    client, clinic
):
    walk(client, clinic, stop_at="safety")
    response = client.post(url("safety"), {"q1": "yes", "skip": "1"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"q2"}
    html = response.content.decode()
    assert CRISIS_BOX in html and 'name="skip"' not in html
    assert screening().answers["safety"] == {"1": True}
    assert Lead.objects.get().flags == [RISK]


def test_a_skip_with_no_yes_in_it_is_still_a_skip(client, clinic):
    walk(client, clinic, stop_at="safety")
    response = client.post(url("safety"), {"q1": "no", "q2": "no", "skip": "1"})
    assert response.url == url("health")
    assert screening().answers["safety"] == {"skipped": True}
    assert screening().flags == {} and not Lead.objects.get().urgent


# Kept once, and in its place -----------------------------------------------------------


def test_replaying_a_kept_answer_changes_nothing_and_raises_no_second_alert(client, clinic):
    walk(client, clinic, stop_at="anxiety")
    data = scores(9, q9=3) | {"q1": ""}
    client.post(url("mood"), data)
    client.post(url("mood"), data)
    assert AuditEvent.objects.filter(action="screening.session.keep").count() == 1
    assert SafetyAlert.objects.filter(lead=Lead.objects.get()).count() == 1


def test_an_answer_kept_out_of_turn_is_shown_when_its_page_comes(client, clinic):
    walk(client, clinic, stop_at="alcohol")
    client.post(url("safety"), {"q1": "yes", "q2": "maybe"})
    assert screening().answers["safety"] == {"1": True}
    assert client.post(url("alcohol"), CALM["alcohol"]).url == url("drugs")
    assert client.post(url("drugs"), CALM["drugs"]).url == url("safety")
    html = client.get(url("safety")).content.decode()
    assert checked(html, "q1", "yes") and not checked(html, "q2", "yes")
    assert CRISIS_BOX in html and 'name="skip"' not in html


def test_a_safety_answer_on_a_skipped_c_ssrs_brings_its_first_page_back(client, clinic):
    walk(client, clinic, stop_at="safety")
    client.post(url("safety"), {"skip": "1"})
    assert client.post(url("safety-more"), {"q6": "yes"}).url == url("safety")
    assert screening().answers["safety"] == {"6": True}
    assert Lead.objects.get().flags == [RISK]


@pytest.mark.parametrize(
    ("posted", "flags"),
    [({"q4": "yes"}, [RISK, HIGH]), ({"q5": "yes"}, [RISK, HIGH])],
)
def test_a_yes_from_an_old_tab_to_a_question_no_longer_asked_still_raises_its_flag(
    client, clinic, posted, flags
):
    # Questions 3 to 5 were shown after question 2 "yes"; question 2 has since been changed to
    # "no" (CLINICAL.md §1.7 [R44][R43]). The old tab's "yes" is not stored as an answer, so
    # nothing unasked is scored, but its flag is raised all the same.
    walk(client, clinic, stop_at="safety-more", safety=yes_no("1", "2", yes=("2",)))
    client.post(url("safety"), yes_no("1", "2"))  # another tab: question 2 changed to "no"
    response = client.post(url("safety-more"), CALM["safety-more"] | posted, follow=True)
    assert screening().answers["safety"] == {"1": False, "2": False, "6": False}
    assert screening().flags["c-ssrs-screener"] == flags
    lead = Lead.objects.get()
    assert lead.flags == flags and SafetyAlert.objects.open().filter(lead=lead).exists()
    assert CRISIS_BOX in response.content.decode()


def test_within_3_months_from_an_old_tab_after_question_6_changed_to_no_is_high_risk(
    client, clinic
):
    walk(client, clinic, stop_at="safety-when", safety_more=yes_no("3", "4", "5", "6", yes=("6",)))
    client.post(url("safety-more"), yes_no("6"))  # another tab: question 6 changed to "no"
    client.post(url("safety-when"), {"q6a": "yes"})
    assert "6a" not in screening().answers["safety"]
    assert Lead.objects.get().flags == [RISK, HIGH]


def test_a_no_from_an_old_tab_to_a_question_no_longer_asked_changes_nothing(client, clinic):
    walk(client, clinic, stop_at="safety-more")
    client.post(url("safety-more"), {"q3": "no", "q4": "no", "q6": "no"})
    assert screening().answers["safety"] == {"1": False, "2": False, "6": False}
    assert screening().flags == {}


def test_a_kept_item_9_makes_the_c_ssrs_required(client, clinic):
    walk(client, clinic, stop_at="safety")
    client.post(url("mood"), {"q9": "2"})
    assert screening().answers["mood"]["9"] == 2 and screening().answers["mood"]["1"] == 0
    response = client.post(url("safety"), {"skip": "1"})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"q1", "q2"}


# Tampered values: never a 500, never a displaced answer ---------------------------------

GARBAGE = ["maybe", "99", "4", "-1", "1.0", " 1", "", "yes", "١", "0x1", "9" * 400]


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_for_item_9_is_refused_kindly_and_stores_nothing(client, clinic, value):
    walk(client, clinic, stop_at="mood")
    response = client.post(url("mood"), scores(9) | {"q9": value})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"q9"}
    assert "mood" not in screening().answers and screening().flags == {}


@pytest.mark.parametrize("value", ["maybe", "Yes", "true", "1", "on", "", "no\x00"])
def test_garbage_for_a_c_ssrs_question_is_refused_kindly_and_stores_nothing(client, clinic, value):
    walk(client, clinic, stop_at="safety")
    response = client.post(url("safety"), {"q1": value, "q2": "no", "skip": "1"})
    assert response.status_code in (200, 302)
    assert screening().flags == {}


@pytest.mark.parametrize("slug", ["mood", "safety", "safety-more", "safety-when", "health"])
def test_garbage_next_to_a_yes_never_displaces_it(client, clinic, slug):
    walk(client, clinic, stop_at="anxiety", mood=scores(9, q9=1))
    garbage = {f"q{n}": "99" for n in range(1, 10)} | {"q6a": "maybe", "skip": "x"}
    response = client.post(url(slug), garbage)
    assert response.status_code in (200, 302)
    assert screening().answers["mood"]["9"] == 1 and screening().flags == {"phq-9": [RISK]}


def test_two_values_for_one_question_take_the_last_like_any_form(client, clinic):
    walk(client, clinic, stop_at="mood")
    response = client.post(url("mood"), {"q9": ["0", "3"]})
    assert response.status_code == 200
    assert screening().answers["mood"] == {"9": 3}


def test_a_post_without_its_csrf_token_is_refused_by_django_not_a_500(clinic):
    browser = Client(enforce_csrf_checks=True)
    browser.get(url("contact"))
    assert browser.post(url("mood"), {"q9": "3"}).status_code == 403


# The pure part: answers.keep_safety -----------------------------------------------------

STARTED = State(answers={"contact": {"age_band": "25-34", "sex": "male"}})


@pytest.mark.parametrize(
    ("slug", "values", "kept"),
    [
        ("mood", {"1": 3, "9": 0}, {}),
        ("mood", {"1": 3, "9": 1}, {"9": 1}),
        ("mood", {"9": True}, {}),  # a bool is not a score
        ("safety", {"1": True, "2": False}, {"1": True}),
        ("safety", {"1": "yes"}, {}),  # not decoded: not an answer
        ("safety-more", {"3": False, "4": True, "6": True}, {"4": True, "6": True}),
        ("anxiety", {"1": 3}, {}),
        ("health", {"seizures": "yes"}, {}),
    ],
)
def test_the_safety_answers_are_item_9_above_not_at_all_and_every_c_ssrs_yes(slug, values, kept):
    assert recorded.safety_answers(page(slug), values) == kept


def test_keeping_a_half_answered_phq9_flags_it_without_scoring_it():
    state = recorded.keep_safety(STARTED, page("mood"), {"9": 3, "2": 1})
    assert state.answers["mood"] == {"9": 3}
    assert "phq-9" not in state.results and state.flags == {"phq-9": [RISK]}
    assert recorded.lead_scores(state)[0]["band"] == "not-scored"


def test_a_kept_yes_the_skip_logic_does_not_ask_raises_its_flag_without_being_stored():
    state = recorded.record(STARTED, page("safety"), {"1": False, "2": False})
    state = recorded.keep_safety(state, page("safety-more"), {"4": True})
    assert state.answers["safety"] == {"1": False, "2": False}
    assert state.flags == {"c-ssrs-screener": [RISK, HIGH]}


def test_keeping_an_answer_replaces_a_skip_and_keeps_the_rest():
    state = recorded.skip_safety(STARTED)
    state = recorded.keep_safety(state, page("safety-more"), {"6": True})
    assert state.answers["safety"] == {"6": True}
    assert state.flags == {"c-ssrs-screener": [RISK]}
