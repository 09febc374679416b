"""The chart's outcomes section: for each instrument the patient has answered, the trend,
the baseline it was measured from, the latest score, the change and the clinical status
in words. Three queries however many questionnaires (scores, infusions, settings).
Nurses and prescribers only: for anyone else the section reads nothing and shows
nothing. The chart (patients) sits below outcomes: SECTION is added in apps.py."""

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dendrite import dates
from dendrite.accounts.models import Role
from dendrite.instruments import loader, scoring
from dendrite.patients.access import sees_clinical_data
from dendrite.patients.chart import Section, instrument_titles
from dendrite.patients.models import Patient, Sex
from dendrite.scheduling.models import Appointment, Kind, Status

from . import labels, trend
from . import status as st
from .models import OutcomeSettings

# Bands to shade, from the scoring engine (each cites its source there).
BANDS: dict[str, tuple[scoring.Band, ...]] = {
    "phq-9": scoring.PHQ9_BANDS,
    "phq-2": scoring.PHQ2_BANDS,
    "gad-7": scoring.GAD7_BANDS,
    "audit": scoring.AUDIT_ZONES,
    "dast-10": scoring.DAST10_BANDS,
}


@dataclass(frozen=True)
class Row:
    at: dt.datetime
    score: int
    band: str
    note: str  # "Baseline", "Latest" or ""


@dataclass(frozen=True)
class InstrumentOutcome:
    code: str
    title: str
    status: st.Status
    words: str  # the clinical status in words (outcomes.labels)
    baseline_missing: str  # why there is no baseline, in words ("" when there is one)
    svg: SafeString
    legend: list[tuple[str, str, str]]  # (range, meaning, tint) of each band
    change: str  # the change in words: "-9 points (50 % below baseline)"
    rows: list[Row]  # newest first, for the table


def scores(patient: Patient) -> dict[str, list[tuple[st.Point, str]]]:
    """Every scored questionnaire of the patient by instrument, oldest first: one query."""
    found: dict[str, list[tuple[st.Point, str]]] = {}
    rows = (
        patient.questionnaire_responses.filter(total__isnull=False)
        .order_by("authored_at", "id")
        .values_list("instrument", "authored_at", "total", "band")
    )
    for code, at, total, band in rows:
        if total is not None:  # filtered above; the column allows none (C-SSRS)
            found.setdefault(code, []).append((st.Point(at, total), band))
    return found


def phq9_points(patient: Patient) -> list[st.Point]:
    rows = (
        patient.questionnaire_responses.filter(instrument="phq-9", total__isnull=False)
        .order_by("authored_at", "id")
        .values_list("authored_at", "total")
    )
    return [st.Point(at, total) for at, total in rows if total is not None]


@functools.cache
def _infusions() -> QuerySet[Appointment, tuple[dt.datetime | None, dt.datetime]]:
    """Built once per process (each chart filters a copy): resolving the joins anew every
    time costs more than running the query."""
    visits = Appointment.objects.filter(appointment_type__kind=Kind.INFUSION)
    given = Q(infusion__started_at__isnull=False) | Q(status=Status.DONE, infusion__isnull=True)
    return visits.filter(given).values_list("infusion__started_at", "starts_at")


def infusion_times(patient: Patient) -> list[dt.datetime]:
    """When each infusion started, oldest first, in one query: the chairside record's start
    where there is one, else the time of a visit for an infusion marked done (records kept
    before the chairside record)."""
    rows = _infusions().filter(patient=patient)
    return sorted(started or starts for started, starts in rows)


def outcomes_section(patient: Patient, viewer: Any) -> dict[str, Any]:
    if viewer is None or not sees_clinical_data(viewer):
        return {}
    settings = OutcomeSettings.for_organization(patient.organization_id)
    infusions = infusion_times(patient)
    first = infusions[0] if infusions else None
    titles = instrument_titles()
    tz = patient.location.tz
    outcomes = [
        _outcome(code, titles.get(code, code), series, infusions, first, settings, patient, tz)
        for code, series in sorted(scores(patient).items(), key=lambda item: item[0])
    ]
    return {
        "shown": True,
        "outcomes": outcomes,
        "first_infusion": first,
        "infusion_count": len(infusions),
        "booster_url": reverse("outcomes:booster", args=[patient.pk])
        if getattr(viewer, "role", None) == Role.PRESCRIBER
        else "",
    }


def _outcome(
    code: str,
    title: str,
    series: list[tuple[st.Point, str]],
    infusions: list[dt.datetime],
    first: dt.datetime | None,
    settings: OutcomeSettings,
    patient: Patient,
    tz: zoneinfo.ZoneInfo,
) -> InstrumentOutcome:
    points = [point for point, _band in series]
    result = st.status(points, first, settings.thresholds(code))
    baseline = points.index(result.baseline) if result.baseline else None
    latest = len(points) - 1
    notes = {latest: "Latest"} | ({baseline: "Baseline"} if baseline is not None else {})
    rows = [
        Row(point.at, point.score, band.replace("-", " "), notes.get(index, ""))
        for index, (point, band) in enumerate(series)
    ]
    shades = _shades(code, patient)
    top = _top(code, points)
    picture = trend.Trend(
        ident=f"trend-{code}",
        title=_("%(title)s scores over time") % {"title": title},
        description=_description(title, result, len(points), len(infusions), tz),
        marks=[trend.Mark(point.at, point.score) for point in points],
        top=top,
        shades=shades,
        infusions=infusions,
        baseline=baseline,
        latest=latest,
        start_label=_day(min([points[0].at, *infusions[:1]]), tz),
        end_label=_day(max([points[-1].at, *infusions[-1:]]), tz),
    )
    tints = trend.tints(len(shades))
    legend = [
        (_range(shade.lowest, shades[i + 1].lowest - 1 if i + 1 < len(shades) else top),
         shade.label, tints[i])
        for i, shade in enumerate(shades)
    ]  # fmt: skip
    return InstrumentOutcome(
        code=code,
        title=title,
        status=result,
        words=labels.status_words(result),
        baseline_missing=labels.baseline_missing(result),
        svg=mark_safe(trend.svg(picture)),  # noqa: S308 - built by trend.svg, every text escaped
        legend=legend,
        change=_change(result),
        rows=rows[::-1],
    )


def _shades(code: str, patient: Patient) -> list[trend.Shade]:
    if code in BANDS:
        return [trend.Shade(band.lowest, band.meaning.capitalize()) for band in BANDS[code]]
    if code == "pcl-5":
        cutoff = scoring.PCL5_DEFAULT_CUTOFF
        return [trend.Shade(0, "Below the cut-off"), trend.Shade(cutoff, "Provisional PTSD")]
    if code == "audit-c" and patient.sex in (Sex.MALE, Sex.FEMALE):
        cutoff = scoring.sex_specific_cutoff(patient.sex)
        return [trend.Shade(0, "Negative screen"), trend.Shade(cutoff, "Positive screen")]
    return []


def _top(code: str, points: list[st.Point]) -> int:
    try:
        return loader.max_total(code)
    except loader.UnknownInstrument:
        return max(point.score for point in points)


def _change(result: st.Status) -> str:
    if result.change is None:
        return "Not measured yet"
    points = f"{result.change:+d} point{'' if abs(result.change) == 1 else 's'}"
    if result.percent_below is None:
        return points
    if result.percent_below >= 0:
        return f"{points} ({result.percent_below} % below baseline)"
    return f"{points} ({-result.percent_below} % above baseline)"


def _range(low: int, high: int) -> str:
    return f"{low}–{high}" if high > low else str(low)


def _day(at: dt.datetime, tz: zoneinfo.ZoneInfo) -> str:
    return dates.day(at, tz)


def _description(
    title: str, result: st.Status, count: int, infusions: int, tz: zoneinfo.ZoneInfo
) -> str:
    parts = [
        ngettext("%(count)d %(title)s score", "%(count)d %(title)s scores", count)
        % {"count": count, "title": title}
    ]
    if infusions:
        parts.append(
            ngettext("%(count)d infusion marked", "%(count)d infusions marked", infusions)
            % {"count": infusions}
        )
    if result.baseline:
        parts.append(
            _("baseline %(score)d on %(day)s")
            % {"score": result.baseline.score, "day": _day(result.baseline.at, tz)}
        )
    if result.latest:
        parts.append(
            _("latest %(score)d on %(day)s")
            % {"score": result.latest.score, "day": _day(result.latest.at, tz)}
        )
    return _("%(facts)s. %(status)s. The table below gives every score.") % {
        "facts": ", ".join(parts),
        "status": labels.status_words(result),
    }


SECTION = Section(
    anchor="outcomes",
    title="Outcomes",
    template="outcomes/_chart_outcomes.html",
    context=outcomes_section,
    clinical=True,
)
