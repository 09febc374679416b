"""The inbox's rows: one per person, read in one query of the columns the table shows,
with each cell's words worked out once in Python (the template only places them).

A row of model instances cost more than the rest of the page: every column of the lead
(the answers, scores and rules are JSON), the assignee's and the location's rows, then
a template lookup, a filter or a `{% url %}` for each cell.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.timesince import timesince

from dendrite.accounts.models import User
from dendrite.accounts.templatetags.staff_words import person
from dendrite.dates import when
from dendrite.links import row_url

from .models import ConsultationRequest, Lead, Outcome, Reason, Source, Status, choice_label

COLUMNS = (
    "pk", "name", "location__name", "urgent", "status", "first_response_due", "source",
    "reasons", "triage_outcome", "patient_id", "created_at", "assignee_id",
    "assignee__first_name", "assignee__last_name",
)  # fmt: skip
SOURCES = dict(Source.choices)
STATUSES = dict(Status.choices)


@dataclass(frozen=True, slots=True)
class InboxRow:
    pk: int
    url: str
    name: str
    location: str
    urgent: bool
    overdue: bool
    submissions: int
    latest_submission: str  # when the latest submission came, when there are several
    patient: bool  # already a patient
    consultation_requested: bool
    source: str
    reasons: str
    outcome_label: str
    waiting: str
    assignee: str
    status: str


def _submissions() -> dict[str, Any]:
    """Each person's row with how many submissions they sent, the latest one's time, the
    latest screening's outcome, and whether any asked for a consultation: subqueries, so
    the count of queries stays put. Built once (Django copies an expression it uses)."""
    linked = Lead.objects.filter(linked_to=OuterRef("pk")).order_by().values("linked_to")
    count = Subquery(linked.annotate(n=Count("pk")).values("n"), output_field=IntegerField())
    screened = Lead.objects.filter(linked_to=OuterRef("pk")).exclude(triage_outcome="")
    # Two EXISTS, each one index lookup, rather than one over an OR across the join.
    asked = Exists(ConsultationRequest.objects.filter(lead=OuterRef("pk")))
    asked_later = Exists(ConsultationRequest.objects.filter(lead__linked_to=OuterRef("pk")))
    return {
        "submissions": Coalesce(count, Value(0)) + 1,
        "linked_outcome": Subquery(screened.order_by("-created_at").values("triage_outcome")[:1]),
        "latest_submission": Subquery(linked.annotate(m=Max("created_at")).values("m")),
        "consultation_requested": asked | asked_later,
    }


SUBMISSIONS = _submissions()


def inbox_rows(leads: Any) -> Any:
    """The inbox's leads (leads_for, filtered) as dictionaries of the columns shown."""
    return leads.annotate(**SUBMISSIONS).values(*COLUMNS, *SUBMISSIONS)


class Pages:
    """The inbox's leads for a Paginator (it asks `count()`, then a slice): a page's leads
    picked in order by a narrow query (ids only), then the columns and the submission
    subqueries read for those alone. Sorting and cutting the full rows made SQLite work
    out the four subqueries for every person of the location before keeping 25; with
    the index on later submissions (lead_linked_newest_idx) the page took 147 → 35 ms at
    12 000 leads. The count is of the plain list."""

    def __init__(self, leads: Any) -> None:
        self.leads = leads

    def count(self) -> int:
        return int(self.leads.count())

    def __getitem__(self, chosen: slice) -> list[dict[str, Any]]:
        ids = list(self.leads.values_list("pk", flat=True)[chosen])
        found = {row["pk"]: row for row in inbox_rows(Lead.objects.filter(pk__in=ids))}
        return [found[pk] for pk in ids if pk in found]


def rows(found: list[dict[str, Any]], now: dt.datetime) -> list[InboxRow]:
    """What each cell shows, from the dictionaries of inbox_rows."""
    url = row_url("leads:detail")
    return [_row(lead, now, url) for lead in found]


def _row(lead: dict[str, Any], now: dt.datetime, url: Callable[[Any], str]) -> InboxRow:
    due = lead["first_response_due"]
    outcome = lead["triage_outcome"] or lead["linked_outcome"] or ""
    assignee = ""
    if lead["assignee_id"] is not None:
        first, last = lead["assignee__first_name"], lead["assignee__last_name"]
        assignee = person(User(first_name=first, last_name=last))
    return InboxRow(
        pk=lead["pk"],
        url=url(lead["pk"]),
        name=lead["name"],
        location=lead["location__name"],
        urgent=lead["urgent"],
        overdue=lead["status"] == Status.NEW and due is not None and due < now,
        submissions=lead["submissions"],
        latest_submission=when(lead["latest_submission"]) if lead["submissions"] > 1 else "",
        patient=lead["patient_id"] is not None,
        consultation_requested=lead["consultation_requested"],
        source=SOURCES.get(lead["source"], lead["source"]),
        reasons=", ".join(choice_label(Reason, reason) for reason in lead["reasons"] or []),
        outcome_label=choice_label(Outcome, outcome) if outcome else "",
        waiting=timesince(lead["created_at"], now),
        assignee=assignee,
        status=STATUSES.get(lead["status"], lead["status"]),
    )
