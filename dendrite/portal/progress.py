"""The patient's progress in plain words: "Your PHQ-9 went from 19 to 8 since your first
infusion." The numbers come from outcomes (status.py decides the baseline: the last
score before the first infusion); this module only says them kindly."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dendrite.outcomes import chart as outcomes_chart
from dendrite.outcomes.models import OutcomeSettings
from dendrite.patients.chart import instrument_titles
from dendrite.patients.models import Patient

# Instruments shown to the patient, with what a lower score means (all: fewer symptoms).
SHOWN = ("phq-9", "gad-7", "pcl-5", "audit-c", "audit", "dast-10")


@dataclass(frozen=True)
class Progress:
    code: str
    title: str
    sentence: str
    svg: SafeString
    latest_at: dt.datetime


def sentence(title: str, baseline: int | None, latest: int, since_first: bool) -> str:
    if baseline is not None and since_first:
        if latest < baseline:
            text = _(
                "Your %(title)s score went from %(before)d to %(now)d since your first infusion."
            )
        elif latest > baseline:
            text = _(
                "Your %(title)s score went up from %(before)d to %(now)d since your first infusion."
            )
        else:
            text = _("Your %(title)s score is %(now)d, the same as before your first infusion.")
        return text % {"title": title, "before": baseline, "now": latest}
    return _("Your latest %(title)s score is %(now)d.") % {"title": title, "now": latest}


def progress(patient: Patient, scores: dict[str, list[Any]],
             infusions: list[dt.datetime]) -> list[Progress]:  # fmt: skip
    settings = OutcomeSettings.for_organization(patient.organization_id)
    first = infusions[0] if infusions else None
    titles = instrument_titles(get_language() or "en")
    shown = []
    for code in SHOWN:
        if code not in scores:
            continue
        title = titles.get(code, code)
        outcome = outcomes_chart._outcome(
            code, title, scores[code], infusions, first, settings, patient, patient.location.tz
        )
        result = outcome.status
        assert result.latest is not None  # there is at least one score
        baseline = result.baseline.score if result.baseline else None
        words = sentence(title, baseline, result.latest.score, first is not None)
        shown.append(Progress(code, title, words, outcome.svg, result.latest.at))
    return shown
