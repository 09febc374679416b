"""Where the page's figures come from: the summaries (models.py) when every organisation
of the scope has been refreshed and the scope is whole local months, else the live
queries (queries.py) — the same figures either way (tests/test_summaries.py).

`source(scope)` gives a Live or a Summary; both have the same methods, each one
aggregate query over rows already worked out. Reached only through access.py.
"""

import datetime as dt
from functools import cached_property
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from dendrite.clinics.models import Location
from dendrite.recovery.metrics import Definition

from . import figures, queries
from .models import ChairMonth, DiaryMonth, LeadSummary, OperationMonth, PatientSummary


class Live:
    """The figures computed now, from the records (queries.py)."""

    refreshed_at: dt.datetime | None = None

    def __init__(self, scope: queries.Scope) -> None:
        self.scope = scope

    @cached_property
    def thresholds(self) -> tuple[int, int]:
        return queries.thresholds(self.scope)

    @cached_property
    def relapse_definition(self) -> Definition:
        return queries.relapse_definition(self.scope)

    def funnel(self) -> list[figures.Step]:
        return queries.funnel(self.scope)

    def first_contact_median(self) -> tuple[dt.timedelta | None, int]:
        return queries.first_contact_median(self.scope)

    def operations(self) -> queries.Operations:
        return queries.operations(self.scope)

    def outcomes(self) -> list[figures.OutcomeRow]:
        return queries.outcomes(self.scope)

    def substance_use(self) -> figures.Drinking:
        return queries.substance_use(self.scope)

    def relapse(self) -> list[figures.RelapseRow]:
        return queries.relapse(self.scope)

    def chair_use(self) -> figures.ChairUse:
        return queries.chair_use(self.scope)


def _month_start(value: dt.datetime | None) -> bool:
    if value is None:
        return False
    local = timezone.localtime(value)
    return local.day == 1 and local.time() == dt.time(0)


def _whole_months(scope: queries.Scope) -> bool:
    cohort = scope.cohort_start, scope.cohort_end
    return (
        _month_start(scope.start)
        and _month_start(scope.end)
        and (cohort == (None, None) or (_month_start(cohort[0]) and _month_start(cohort[1])))
    )


def source(scope: queries.Scope) -> Live:
    """The summaries if they can give the scope's figures, else the live queries. One
    query: the refresh of each organisation of the scope's locations."""
    if not scope.location_ids or not _whole_months(scope):
        return Live(scope)
    prefix = "organization__dashboard_refresh__"
    found = set(
        Location.objects.filter(pk__in=scope.location_ids).values_list(
            f"{prefix}refreshed_at", f"{prefix}time_zone", f"{prefix}heavy_days",
            f"{prefix}window_days",
        )
    )  # fmt: skip
    zone = timezone.get_current_timezone_name()
    if not found or any(at is None or tz != zone for at, tz, *_ in found):
        return Live(scope)
    definitions = {(heavy, window) for _, _, heavy, window in found}
    return Summary(scope, min(at for at, *_ in found), definitions)


class Summary(Live):
    """The figures added up from the summaries (as of `refreshed_at`)."""

    def __init__(
        self, scope: queries.Scope, refreshed_at: dt.datetime, definitions: set[tuple[int, int]]
    ) -> None:
        super().__init__(scope)
        self.refreshed_at = refreshed_at
        self.definitions = definitions
        self.first_month = timezone.localdate(scope.start)
        self.end_month = timezone.localdate(scope.end)

    def _cohort(self, prefix: str = "") -> Q:
        """The condition and cohort-month filter on rows with the cohort keys."""
        q = Q()
        if self.scope.condition:
            q &= Q(**{f"{prefix}conditions__contains": f"|{self.scope.condition}|"})
        if self.scope.cohort_start:
            q &= Q(**{f"{prefix}cohort_month": timezone.localdate(self.scope.cohort_start)})
        return q

    def _months(self, model: Any) -> QuerySet[Any]:
        rows: QuerySet[Any] = model.objects.filter(
            self._cohort(),
            location_id__in=self.scope.location_ids,
            month__gte=self.first_month,
            month__lt=self.end_month,
        )
        return rows

    def _leads(self) -> QuerySet[LeadSummary]:
        leads = LeadSummary.objects.filter(
            location_id__in=self.scope.location_ids,
            created_at__gte=self.scope.start,
            created_at__lt=self.scope.end,
        )
        if self.scope.condition or self.scope.cohort_start:
            leads = leads.filter(self._cohort("patient__"))
        return leads

    @cached_property
    def _funnel(self) -> dict[str, int]:
        stages = {key: Count("pk", filter=Q(stage__gte=n))
                  for n, (key, _) in enumerate(queries.STAGES)}  # fmt: skip
        return self._leads().aggregate(**stages, waited=Count("pk", filter=Q(wait__isnull=False)))

    def funnel(self) -> list[figures.Step]:
        counts = self._funnel
        return figures.funnel([(key, label, counts[key]) for key, label in queries.STAGES])

    def first_contact_median(self) -> tuple[dt.timedelta | None, int]:
        count = self._funnel["waited"]
        low, high = figures.middle_slice(count)
        waits = self._leads().filter(wait__isnull=False).order_by("wait", "pk")
        middle = (
            [w for w in waits.values_list("wait", flat=True)[low:high] if w is not None]
            if count
            else []
        )
        return figures.median(middle), count

    def operations(self) -> queries.Operations:
        keys = ("appointments", "no_shows", "late_cancels", "boosters", "infusions", "alerts",
                "adverse_events")  # fmt: skip
        counts = self._months(OperationMonth).aggregate(
            **{key: Coalesce(Sum(key), 0) for key in keys}
        )
        return queries.Operations(**counts)

    @cached_property
    def _cohort_counts(self) -> dict[str, int]:
        """Outcomes and relapse of the patients whose first infusion fell in the months:
        one aggregate over their rows (queries.outcome_q's and relapse's rules)."""
        percent, below = self.thresholds
        sums: dict[str, Any] = {}
        for key, *_ in queries.TIME_POINTS:
            score = f"score_{key}"
            data = Q(baseline__isnull=False, **{f"{score}__isnull": False})
            response = LessThanOrEqual(F(score) * 100, F("baseline") * (100 - percent))
            sums[f"{key}_data"] = Count("pk", filter=data)
            sums[f"{key}_response"] = Count("pk", filter=data & Q(baseline__gt=0) & Q(response))
            sums[f"{key}_remission"] = Count("pk", filter=data & Q(**{f"{score}__lt": below}))
        for days in queries.RELAPSE_DAYS:
            sums[f"data_{days}"] = Count("pk", filter=Q(diary_after__lt=days))
            sums[f"relapsed_{days}"] = Count("pk", filter=Q(relapse_after__lt=days))
        return PatientSummary.objects.filter(
            self._cohort(),
            location_id__in=self.scope.location_ids,
            first_infusion_at__gte=self.scope.start,
            first_infusion_at__lt=self.scope.end,
        ).aggregate(**sums)

    def outcomes(self) -> list[figures.OutcomeRow]:
        counts = self._cohort_counts
        return [
            figures.OutcomeRow(key, label, counts[f"{key}_data"], counts[f"{key}_response"],
                               counts[f"{key}_remission"])
            for key, label, *_ in queries.TIME_POINTS
        ]  # fmt: skip

    def relapse(self) -> list[figures.RelapseRow]:
        definition = self.relapse_definition
        if self.definitions != {(definition.heavy_days, definition.window_days)}:
            return super().relapse()  # the clinic changed its definition since the refresh
        counts = self._cohort_counts
        return [figures.RelapseRow(days, counts[f"data_{days}"], counts[f"relapsed_{days}"])
                for days in queries.RELAPSE_DAYS]  # fmt: skip

    def substance_use(self) -> figures.Drinking:
        counts = self._months(DiaryMonth).aggregate(
            patients=Count("patient_id", distinct=True),
            recorded=Coalesce(Sum("recorded"), 0),
            abstinent=Coalesce(Sum("abstinent"), 0),
            heavy=Coalesce(Sum("heavy"), 0),
        )
        return figures.Drinking(**counts)

    def chair_use(self) -> figures.ChairUse:
        rows = (
            self._months(ChairMonth).order_by().values_list("weekday", "begin", "finish")
            .annotate(n=Sum("count"))
        )  # fmt: skip
        return figures.ChairUse(figures.chair_minutes(list(rows)))
