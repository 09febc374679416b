"""What the chart page shows, section by section, in a fixed number of queries.

Front desk gets the administrative sections only; the clinical ones are not even
read from the database for them.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Window

from dendrite.alerts.models import AlertEvent
from dendrite.instruments.loader import instrument_codes, title_in
from dendrite.links import row_url

from . import history_items
from .actions import current_sign_off
from .models import Consent, Patient, Provider

RECENT_RESPONSES = 10
OVERRIDES_SHOWN = 10


@dataclass(frozen=True)
class Section:
    """A section of the chart that an app above patients owns: the schedule
    (scheduling/chart.py). The chart imports none of those apps; each adds its section
    in its AppConfig.ready(), and the chart shows it after the consents, to every role
    that opens the chart, with the template given `context(patient, viewer)`."""

    anchor: str  # the section's id on the page, for the chart's table of contents
    title: str
    template: str
    context: Callable[[Patient, Any], dict[str, Any]]
    clinical: bool = False  # shown to nurses and prescribers only (not even in the contents)


SECTIONS: list[Section] = []


def add_section(section: Section) -> None:
    if section not in SECTIONS:
        SECTIONS.append(section)


def with_urls(rows: list[Any], patient: Patient, *names: str) -> list[tuple[Any, ...]]:
    """Each row with its URLs (`names`, each taking the patient's id and the row's)."""
    if not rows:
        return []
    urls = [row_url(name, patient.pk) for name in names]
    return [(row, *(url(row.pk) for url in urls)) for row in rows]


def entries(rows: list[Any], patient: Patient, name: str) -> list[tuple[Any, ...]]:
    """A chart entry (contact, diagnosis, …) with the URLs to change and remove it."""
    return with_urls(rows, patient, f"patients:{name}_edit", f"patients:{name}_remove")


@functools.cache
def instrument_titles(language: str = "en") -> dict[str, str]:
    """Each instrument's title; in `language` where its definition carries a validated
    translation (the portal's), English otherwise (staff pages). Read once per process
    and language (the definitions ship with the code): not to be changed by callers."""
    return {code: title_in(code, language) for code in instrument_codes()}


def consents_in_force(consents: list[Consent]) -> list[tuple[str, Consent | None]]:
    """(kind label, latest consent of that kind or None), from consents newest first."""
    latest: dict[str, Consent] = {}
    for consent in consents:
        latest.setdefault(consent.kind, consent)
    return [(label, latest.get(kind)) for kind, label in Consent.Kind.choices]


def administrative_sections(patient: Patient) -> dict[str, Any]:
    consents = list(patient.consents.select_related("recorded_by"))
    providers = {provider.kind: provider for provider in patient.providers.all()}
    return {
        "other_sections": list(SECTIONS),  # rendered by the chart_section tag
        "contacts": entries(list(patient.contacts.all()), patient, "contact"),
        "providers": [(kind, label, providers.get(kind)) for kind, label in Provider.Kind.choices],
        "consents": consents,
        "consents_in_force": consents_in_force(consents),
    }


def history_rows(patient: Patient) -> list[tuple[history_items.HistoryItem, Any]]:
    """Every item of the current list with its answer, or None where not yet asked."""
    answers = {row.item: row for row in patient.history_answers.all()}
    return [(item, answers.get(item.code)) for item in history_items.ITEMS]


def clinical_sections(patient: Patient) -> dict[str, Any]:
    # The latest few and how many there are in all, in one query (a window count).
    latest = patient.questionnaire_responses.defer("answers").annotate(of=Window(Count("pk")))
    responses = list(latest[:RECENT_RESPONSES])
    titles = instrument_titles()
    recent = [
        (response, titles.get(response.instrument, response.instrument)) for response in responses
    ]
    return {
        "diagnoses": entries(list(patient.diagnoses.all()), patient, "diagnosis"),
        "medications": entries(list(patient.medications.all()), patient, "medication"),
        "allergies": entries(list(patient.allergies.all()), patient, "allergy"),
        "history": history_rows(patient),
        "sign_off": current_sign_off(patient),
        "triage_overrides": list(patient.triage_overrides.select_related("by")[:OVERRIDES_SHOWN]),
        "responses": recent,
        "responses_count": responses[0].of if responses else 0,
        "documents": with_urls(
            list(patient.documents.select_related("uploaded_by")),
            patient,
            "patients:document_download",
        ),
        "safety_timeline": safety_timeline(patient),
    }


def safety_timeline(patient: Patient) -> list[Any]:
    """Every step of the patient's safety alerts (raised, escalated, attempts, outcome),
    oldest first, in one query."""
    events = AlertEvent.objects.filter(alert__patient=patient)
    return list(events.select_related("by").order_by("at", "pk"))
