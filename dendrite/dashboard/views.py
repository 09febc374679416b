"""The clinic dashboard: figures, the people behind each, CSV of each table."""

import csv

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required

from . import figures, queries
from .access import DASHBOARD_ROLES, behind_for, figures_for, locations_for, scoped
from .forms import DashboardFilter

LIST_LIMIT = 500


def _filter(request: HttpRequest) -> tuple[DashboardFilter, queries.Scope]:
    locations = list(locations_for(request.user))  # type: ignore[arg-type]
    form = DashboardFilter(request.GET or None, locations=locations)
    form.is_valid() if form.is_bound else None
    return form, scoped(request.user, form.scope())  # type: ignore[arg-type]


@staff_required(roles=DASHBOARD_ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, scope = _filter(request)
    found = figures_for(request.user, scope)  # type: ignore[arg-type]
    steps = found.funnel()
    wait, waited = found.first_contact_median()
    bars, height = figures.bars(steps)
    percent, below = found.thresholds
    context = {
        "form": form,
        "scope": scope,
        "steps": steps,
        "bars": bars,
        "chart_height": height,
        "chart_width": figures.CHART_WIDTH,
        "label_width": figures.LABEL_WIDTH,
        "bar_height": figures.BAR_HEIGHT,
        "wait": figures.duration_words(wait),
        "waited": waited,
        "operations": found.operations().rows(),
        "outcomes": found.outcomes(),
        "drinking": found.substance_use(),
        "relapse": found.relapse(),
        "relapse_definition": found.relapse_definition,
        "chairs": _chair_table(found.chair_use()),
        "response_percent": percent,
        "remission_below": below,
        "refreshed_at": found.refreshed_at,
        "refresh_minutes": settings.DASHBOARD_REFRESH_MINUTES,
        "query": request.GET.urlencode(),
    }
    return render(request, "dashboard/dashboard.html", context)


@staff_required(roles=DASHBOARD_ROLES)
@require_GET
def behind(request: HttpRequest, figure: str) -> HttpResponse:
    form, scope = _filter(request)
    rows = behind_for(request.user, scope, figure, LIST_LIMIT)  # type: ignore[arg-type]
    if rows is None:
        raise Http404
    labels = dict(queries.STAGES) | {key: label for key, label, *_ in _operation_labels()}
    labels |= {key: label for key, label, *_ in figures.Drinking(0, 0, 0, 0).rows()}
    point, _, kind = figure.partition("_")
    points = {key: label for key, label, *_ in queries.TIME_POINTS}
    if figure.startswith("relapse") and "_" in figure:
        days, _, kind = figure[7:].partition("_")
        words = {"data": "with diary days", "relapsed": "relapsed"}
        title = f"Within {days} days of the first infusion: {words.get(kind, '')}"
    elif point in points and kind in queries.OUTCOME_FIGURES:
        words = {"data": "with a score", "response": "responding", "remission": "in remission"}
        title = f"PHQ-9 at {points[point].lower()}: {words[kind]}"
    elif figure.startswith("dropped_"):
        stage = figure[8:]
        title = f"Did not reach: {queries.STAGE_LABELS[stage]}"
    else:
        title = labels.get(figure, "Patients")
    context = {
        "title": title,
        "rows": rows,
        "refreshed_at": figures_for(request.user, scope).refreshed_at,  # type: ignore[arg-type]
        "limit": LIST_LIMIT,
        "query": request.GET.urlencode(),
        "form": form,
    }
    return render(request, "dashboard/behind.html", context)


def _chair_table(use: figures.ChairUse) -> dict[str, object]:
    """The heat map as rows: (weekday, [(minutes, shade)] per hour used)."""
    hours = use.hours_used()
    rows = [
        (day, [(row[hour], use.shade(row[hour])) for hour in hours])
        for day, row in zip(queries.WEEKDAYS, use.minutes, strict=True)
    ]
    return {"hours": hours, "rows": rows}


def _operation_labels() -> list[tuple[str, str, int, str]]:
    return queries.Operations(0, 0, 0, 0, 0, 0, 0).rows()


@staff_required(roles=DASHBOARD_ROLES)
@require_GET
def table_csv(request: HttpRequest, table: str) -> HttpResponse:
    _, scope = _filter(request)
    found = figures_for(request.user, scope)  # type: ignore[arg-type]
    if table == "funnel":
        header = ["Stage", "Patients", "Of the inquiries", "Of the stage before", "Dropped out"]
        rows = [[s.label, s.count, s.share_of_first, s.share_of_previous, s.dropped]
                for s in found.funnel()]  # fmt: skip
    elif table == "operations":
        header = ["Figure", "Count", "Rate"]
        rows = [[label, count, rate] for _, label, count, rate in found.operations().rows()]
    elif table == "substance-use":
        header = ["Figure", "Days", "Of the recorded days"]
        rows = [[label, count, rate] for _, label, count, rate in
                found.substance_use().rows()]  # fmt: skip
    elif table == "outcomes":
        header = ["Time point", "Patients with a score", "Response", "Response rate",
                  "Remission", "Remission rate"]  # fmt: skip
        rows = [[o.label, o.with_data, o.responders, o.response_rate, o.remitters,
                 o.remission_rate] for o in found.outcomes()]  # fmt: skip
    elif table == "relapse":
        header = ["Within days of the first infusion", "Patients with diary days", "Relapsed",
                  "Relapse rate"]  # fmt: skip
        rows = [[r.days, r.with_data, r.relapsed, r.rate] for r in found.relapse()]
    elif table == "chair-use":
        header = ["Weekday", *[f"{hour:02d}:00" for hour in queries.HOURS]]
        rows = [[day, *minutes] for day, minutes in
                zip(queries.WEEKDAYS, found.chair_use().minutes, strict=True)]  # fmt: skip
    else:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{table}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
