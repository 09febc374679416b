"""The screening's eight steps, their pages, and where a person may go. Pure, no Django.

A step is what the progress indicator counts ("Step 6 of 8"); a page is one form.
Most steps are one page. The alcohol step adds the rest of the AUDIT when the
AUDIT-C is positive, and the safety step splits the C-SSRS screener where a
question depends on an answer on the same page, so its skip logic is kept on the
server without JavaScript (CLINICAL.md §1.7 [R44][R43]).

``State`` is what the screening knows: the answers by step, the scored
questionnaires by instrument and the safety flags raised so far (never dropped).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dendrite.instruments import loader
from dendrite.instruments.answers import is_enabled
from dendrite.instruments.loader import Item
from dendrite.instruments.scoring import SUICIDE_RISK

from .questions import HEALTH_QUESTIONS, gettext_noop


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: str  # in English, marked for the catalogue; the view translates it


STEPS = (
    Step(1, "contact", gettext_noop("About you")),
    Step(2, "mood", gettext_noop("Mood")),
    Step(3, "anxiety", gettext_noop("Anxiety")),
    Step(4, "alcohol", gettext_noop("Alcohol")),
    Step(5, "drugs", gettext_noop("Other drugs")),
    Step(6, "safety", gettext_noop("Your safety")),
    Step(7, "health", gettext_noop("Health history")),
    Step(8, "treatment", gettext_noop("Treatment so far")),
)
_STEP = {step.slug: step for step in STEPS}


@dataclass(frozen=True)
class Page:
    slug: str
    step: Step
    instrument: str | None = None  # the questionnaire whose questions this page asks
    link_ids: tuple[str, ...] = ()  # which of its questions, before the skip logic
    # A step's second or third page says which part it is, so every page's title and
    # heading is its own ("Step 4 of 8: Alcohol, more questions"); marked for the catalogue.
    part: str = ""


def _all(code: str) -> tuple[str, ...]:
    return loader.item_order(code)


MORE, WHEN = gettext_noop("more questions"), gettext_noop("when it happened")
PAGES = (
    Page("contact", _STEP["contact"]),
    Page("mood", _STEP["mood"], "phq-9", _all("phq-9")),
    Page("anxiety", _STEP["anxiety"], "gad-7", _all("gad-7")),
    Page("alcohol", _STEP["alcohol"], "audit-c", _all("audit-c")),
    # The AUDIT's questions 1-3 are the AUDIT-C's; the rest only after a positive AUDIT-C.
    Page(
        "alcohol-more", _STEP["alcohol"], "audit", _all("audit")[3:], gettext_noop("more questions")
    ),
    Page("drugs", _STEP["drugs"], "dast-10", _all("dast-10")),
    Page("safety", _STEP["safety"], "c-ssrs-screener", ("1", "2")),
    Page(
        "safety-more",
        _STEP["safety"],
        "c-ssrs-screener",
        ("3", "4", "5", "6"),
        MORE,
    ),
    Page(
        "safety-when", _STEP["safety"], "c-ssrs-screener", ("6a",), gettext_noop("when it happened")
    ),
    Page("health", _STEP["health"]),
    Page("treatment", _STEP["treatment"]),
)
_PAGE = {page.slug: page for page in PAGES}
FIRST = PAGES[0]


@dataclass(frozen=True)
class State:
    answers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by step slug
    results: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by instrument
    flags: Mapping[str, Sequence[str]] = field(default_factory=dict)  # by instrument, kept

    def step_answers(self, step: str) -> Mapping[str, Any]:
        return self.answers.get(step, {})


def page(slug: str) -> Page:
    """The page with this slug; KeyError for any other."""
    return _PAGE[slug]


def items(page: Page, state: State) -> tuple[Item, ...]:
    """The page's questions that the skip logic (enableWhen) asks, given the answers so far."""
    if page.instrument is None:
        return ()
    every = loader.questions(page.instrument)
    by_id = {item.link_id: item for item in every}
    values = state.step_answers(page.step.slug)
    return tuple(
        by_id[link_id] for link_id in page.link_ids if is_enabled(by_id[link_id], values, by_id)
    )


def every_item(page: Page) -> tuple[Item, ...]:
    """All the page's questions, whatever the skip logic asks now (to read an old tab's post)."""
    if page.instrument is None:
        return ()
    by_id = {item.link_id: item for item in loader.questions(page.instrument)}
    return tuple(by_id[link_id] for link_id in page.link_ids)


def safety_required(state: State) -> bool:
    """The C-SSRS is always asked after PHQ-9 item 9 >= 1 - CLINICAL.md §6 rule 1 [R88] - and
    once any of its own questions was answered "yes": a "yes" means the rest of it matters,
    so it can no longer be skipped (§6 rule 2 [R38]). Only offered otherwise. Flags are
    kept, so an answer changed since still counts."""
    return any(SUICIDE_RISK in state.flags.get(code, ()) for code in ("phq-9", "c-ssrs-screener"))


def safety_skipped(state: State) -> bool:
    return bool(state.step_answers("safety").get("skipped")) and not safety_required(state)


def applies(page: Page, state: State) -> bool:
    if page.slug == "alcohol-more":
        return state.results.get("audit-c", {}).get("band") == "positive"
    if page.slug in ("safety-more", "safety-when"):
        return not safety_skipped(state) and bool(items(page, state))
    return True


def complete(page: Page, state: State) -> bool:
    answers = state.step_answers(page.step.slug)
    if page.slug == "contact":
        return bool(answers)
    if page.slug == "safety" and safety_skipped(state):
        return True
    if page.slug == "health":
        return all(question in answers for question, _ in HEALTH_QUESTIONS)
    if page.slug == "treatment":
        return "antidepressants" in answers and "therapy" in answers
    return all(item.link_id in answers for item in items(page, state) if item.required)


def sequence(state: State) -> list[Page]:
    """The pages this person answers, given what they have answered so far."""
    return [page for page in PAGES if applies(page, state)]


def first_incomplete(state: State) -> Page | None:
    return next((page for page in sequence(state) if not complete(page, state)), None)


def reachable(page: Page, state: State) -> bool:
    """A page may be shown if it applies and every page before it is answered."""
    pages = sequence(state)
    if page not in pages:
        return False
    gap = first_incomplete(state)
    return gap is None or pages.index(page) <= pages.index(gap)


def next_page(page: Page, state: State) -> Page | None:
    """Where Next leads after this page: the following page, or an earlier one still
    unanswered; None once everything is answered (time for the result)."""
    pages = sequence(state)
    later = pages[pages.index(page) + 1 :] if page in pages else []
    target = later[0] if later else None
    gap = first_incomplete(state)
    if gap is not None and (target is None or pages.index(gap) < pages.index(target)):
        return gap
    return target


def previous_page(page: Page, state: State) -> Page | None:
    pages = sequence(state)
    index = pages.index(page) if page in pages else 0
    return pages[index - 1] if index > 0 else None
