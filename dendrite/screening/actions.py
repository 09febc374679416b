"""Writes of the self-screening. Each runs in one transaction and writes its audit entry;
the Lead is kept in step through leads.actions (which e-mails staff when it turns urgent).
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dendrite.audit.log import record
from dendrite.instruments.scoring import SUICIDE_RISK
from dendrite.leads.actions import create_lead, update_screening_lead
from dendrite.leads.models import Outcome, Source

from . import answers as recorded
from . import pages, triage
from .models import ScreeningSession, hash_token, link_expiry, new_token
from .pages import Page, State


def triage_rules() -> triage.Rules:
    """The clinic's rules file (SCREENING_TRIAGE_RULES), checked at start-up by checks.py."""
    return triage.load_rules(settings.SCREENING_TRIAGE_RULES)


@transaction.atomic
def start_screening(
    lead_fields: dict[str, Any], contact: dict[str, Any], language: str
) -> ScreeningSession:
    """Step 1: store the lead first (so the clinic can reach someone who stops half-way),
    then the screening that feeds it."""
    lead = create_lead(
        source=Source.SCREENING, triage_outcome=Outcome.INCOMPLETE, language=language, **lead_fields
    )
    state = State(answers={"contact": contact})
    screening = ScreeningSession(
        lead=lead,
        token_hash=hash_token(new_token()),  # no link yet: "Save and get a link" makes one
        expires_at=link_expiry(),
        step=_resume_at(state),
    )
    screening.state = state
    screening.save()
    record("screening.session.create", obj=screening, detail={"lead": lead.pk})
    return screening


@transaction.atomic
def update_contact(
    screening: ScreeningSession, lead_fields: dict[str, Any], contact: dict[str, Any]
) -> ScreeningSession:
    """Step 1 again (the person went back): the lead's details and the answers change."""
    screening = _locked(screening)
    update_screening_lead(screening.lead, **lead_fields)
    return _save(screening, recorded.record(screening.state, pages.FIRST, contact), "contact")


@transaction.atomic
def save_page(screening: ScreeningSession, page: Page, values: dict[str, Any]) -> ScreeningSession:
    """Store one page's answers, rescore, and escalate the lead the moment a flag appears.
    After the last page, triage the screening."""
    screening = _locked(screening)
    screening = _save(screening, recorded.record(screening.state, page, values), page.slug)
    if pages.next_page(page, screening.state) is None:
        _finish(screening)
    return screening


@transaction.atomic
def skip_safety(screening: ScreeningSession) -> ScreeningSession:
    """The person chose not to answer the offered C-SSRS (flags raised before are kept)."""
    screening = _locked(screening)
    return _save(screening, recorded.skip_safety(screening.state), "safety-skipped")


@transaction.atomic
def keep_safety_answers(
    screening: ScreeningSession, page: Page, values: dict[str, Any]
) -> ScreeningSession:
    """Store a post's safety answers (PHQ-9 item 9 above "not at all", any C-SSRS "yes")
    before anything else happens to it, so the flag, the lead's alert and the crisis box
    follow whatever the rest of the post is: a skip, a page with errors, a page out of turn
    or replayed after the end (then the screening is triaged again) - CLINICAL.md §6."""
    if not recorded.safety_answers(page, values):
        return screening
    screening = _locked(screening)
    before = screening.state
    state = recorded.keep_safety(before, page, values)
    if (state.answers, state.flags) == (before.answers, before.flags):
        return screening  # kept already: a replay changes nothing
    screening = _save(screening, state, page.slug, action="screening.session.keep")
    if screening.finished:
        _triage(screening, "screening.session.triage")
    return screening


def _finish(screening: ScreeningSession) -> None:
    screening.finished_at = timezone.now()
    _triage(screening, "screening.session.finish")


def _triage(screening: ScreeningSession, action: str) -> None:
    """Triage the answered screening and give the lead its outcome, rules, scores and flags."""
    state = screening.state
    rules = triage_rules()
    result = triage.triage(recorded.results_for_triage(state), state.answers, rules)
    screening.outcome = result.outcome
    screening.fired = list(result.fired)
    screening.rules_version = rules.version
    screening.step = "result"
    screening.save()
    record(action, obj=screening, detail={"outcome": result.outcome})
    update_screening_lead(
        screening.lead,
        triage_outcome=result.outcome,
        triage_rules=list(result.fired),
        scores=recorded.lead_scores(state),
        flags=recorded.flags_of(state),
        answers=lead_answers(state),
    )


@transaction.atomic
def new_link(screening: ScreeningSession) -> str:
    """A fresh resume link (the old one stops working), valid for SCREENING_RESUME_DAYS."""
    screening = _locked(screening)
    token = new_token()
    screening.token_hash = hash_token(token)
    screening.expires_at = link_expiry()
    screening.save(update_fields=["token_hash", "expires_at", "updated_at"])
    record("screening.session.link", obj=screening)
    return token


def audit_resume(screening: ScreeningSession) -> None:
    record("screening.session.resume", obj=screening)


def _locked(screening: ScreeningSession) -> ScreeningSession:
    """The row again, locked: two tabs posting at once queue instead of losing answers.

    Only this row, and FOR NO KEY UPDATE: a lock on the joined lead and location rows, or
    one that blocks other transactions' foreign-key checks, deadlocked with the audit
    chain's lock under load (a transaction holding the chain lock then inserting a row
    that refers to the location; bench/load, docs/benchmarks.md)."""
    return (
        ScreeningSession.objects.select_for_update(of=("self",), no_key=True)
        .select_related("lead__location")
        .get(pk=screening.pk)
    )


def _save(
    screening: ScreeningSession, state: State, what: str, action: str = "screening.session.save"
) -> ScreeningSession:
    before = screening.state
    screening.state = state
    screening.step = "result" if screening.finished else _resume_at(state)
    screening.save()
    record(action, obj=screening, detail={"page": what})
    if state.flags != before.flags or state.results != before.results:
        _sync_lead(screening, state)
    return screening


def _sync_lead(screening: ScreeningSession, state: State) -> None:
    """Scores and flags go to the lead as they come, so staff see an unfinished screening;
    a safety flag makes it urgent at once - CLINICAL.md §6 rules 1 and 2 [R88][R38]."""
    fields: dict[str, Any] = {
        "scores": recorded.lead_scores(state),
        "flags": recorded.flags_of(state),
        "answers": lead_answers(state),
    }
    if SUICIDE_RISK in fields["flags"]:
        fields["triage_outcome"] = Outcome.URGENT_SAFETY
    update_screening_lead(screening.lead, **fields)


def lead_answers(state: State) -> dict[str, Any]:
    """What the lead keeps of the answers, stamped with when they were given."""
    return recorded.lead_answers(state) | {"answered_at": timezone.now().isoformat()}


def _resume_at(state: State) -> str:
    gap = pages.first_incomplete(state)
    return gap.slug if gap else "treatment"
