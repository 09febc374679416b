"""Rebuilding an organisation's dashboard summaries (models.py), with the set-based
queries the live dashboard runs (queries.py), over all time instead of a scope's months.
Called from actions.refresh_dashboards (the `refresh_dashboard` scheduled job).

One transaction per organisation: its summary rows deleted, then inserted again — the
large tables (leads, diary months) with INSERT … SELECT in the database, the others with
bulk inserts of rows already grouped by the database — and its Refresh row written. A
page reading meanwhile sees the summaries before or after, never half of them.
"""

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from dendrite.clinics.models import Location
from dendrite.infusions.models import AdverseEvent, ChairsideAlert, Infusion
from dendrite.leads.models import Lead, LeadEvent, Outcome
from dendrite.outcomes.models import Condition
from dendrite.patients.models import Patient
from dendrite.recovery.metrics import Definition
from dendrite.recovery.models import DrinkingDay, RecoverySettings
from dendrite.scheduling.models import Appointment

from . import queries
from .models import ChairMonth, DiaryMonth, LeadSummary, OperationMonth, PatientSummary, Refresh

BATCH = 5000
# All of time, as a scope's months: the live queries' filters with nothing left out.
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
SUMMARY = "patient__dashboard_summary__"


def refresh(organization_id: int) -> Refresh:
    """Rebuild one organisation's summaries; the Refresh row says when and how long."""
    started = time.monotonic()
    locations = Location.objects.filter(organization_id=organization_id)
    ids = tuple(locations.values_list("pk", flat=True))
    found = RecoverySettings.objects.filter(organization_id=organization_id).first()
    definition = found.definition if found else Definition()
    scope = queries.Scope(ids, EARLIEST, LATEST)
    with transaction.atomic():
        _delete(ids)
        _patients(scope, definition)
        _leads(scope)
        _operations(ids)
        _chairs(ids)
        _diary(ids)
        row, _ = Refresh.objects.update_or_create(
            organization_id=organization_id,
            defaults={
                "refreshed_at": timezone.now(),
                "seconds": round(time.monotonic() - started, 3),
                "time_zone": timezone.get_current_timezone_name(),
                "heavy_days": definition.heavy_days,
                "window_days": definition.window_days,
            },
        )
    return row


def _delete(ids: tuple[int, ...]) -> None:
    """The organisation's rows, and any row of its patients and leads filed elsewhere
    before they moved (their keys are about to be inserted again)."""
    patients = Patient.objects.filter(location_id__in=ids).values("pk")
    PatientSummary.objects.filter(Q(location_id__in=ids) | Q(patient_id__in=patients)).delete()
    leads = Lead.objects.filter(location_id__in=ids).values("pk")
    LeadSummary.objects.filter(Q(location_id__in=ids) | Q(lead_id__in=leads)).delete()
    for model in (OperationMonth, ChairMonth, DiaryMonth):
        model.objects.filter(location_id__in=ids).delete()


def _date(value: dt.date | str | None) -> dt.date | None:
    """A date from a raw cursor (ISO text on SQLite)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _patients(scope: queries.Scope, definition: Definition) -> None:
    flags = {f"c_{c}": queries.condition_q(c, "pk") for c in Condition.values}
    people = (
        Patient.objects.filter(location_id__in=scope.location_ids)
        .annotate(**{key: q for key, q in flags.items()})
        .order_by().values_list("pk", "location_id", *flags)
    )  # fmt: skip
    first = dict(queries.first_infusions(scope).values_list("patient", "first_at"))
    scores = {patient: (baseline, points) for patient, baseline, points in
              queries.phq9_by_patient(scope)}  # fmt: skip
    select = "diary.patient_id, diary.first_day, diary.day, relapsed.day"
    with connection.cursor() as cursor:
        cursor.execute(*queries.relapse_sql(scope, definition, select))
        diary = {
            patient: ((_date(day) - _date(on)).days,  # type: ignore[operator]
                      (_date(relapsed) - _date(on)).days if relapsed else None)  # type: ignore[operator]
            for patient, on, day, relapsed in cursor.fetchall()
        }  # fmt: skip
    conditions = [c for c in Condition.values]

    def rows() -> Iterable[PatientSummary]:
        for pk, location_id, *matches in people.iterator(chunk_size=BATCH):
            at = first.get(pk)
            day = timezone.localtime(at).date() if at else None
            named = [c for c, match in zip(conditions, matches, strict=True) if match]
            baseline, points = scores.get(pk, (None, [None, None, None]))
            diary_after, relapse_after = diary.get(pk, (None, None))
            yield PatientSummary(
                patient_id=pk, location_id=location_id, first_infusion_at=at, first_day=day,
                cohort_month=day.replace(day=1) if day else None,
                conditions=f"|{'|'.join(named)}|" if named else "", baseline=baseline,
                score_induction=points[0], score_month3=points[1], score_month6=points[2],
                diary_after=diary_after, relapse_after=relapse_after,
            )  # fmt: skip

    _bulk(PatientSummary, rows())


def _bulk(model: Any, rows: Iterable[Any]) -> None:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def _insert(model: Any, columns: dict[str, str], sql: str, params: Sequence[Any]) -> None:
    """INSERT INTO the model's table (columns) SELECT the aliases of the query `sql`.
    Names come from the models and the code, values are parameters."""
    quote = connection.ops.quote_name
    into = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    picked = ", ".join(f"s.{quote(alias)}" for alias in columns.values())
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({into}) SELECT {picked} FROM ({sql}) s", params)  # noqa: S608


# The furthest stage a lead reached (queries.reached's rules), from its marks read once.
LEAD_SQL = """
SELECT l.id AS k_lead, l.location_id AS k_location, l.created_at AS k_created,
  l.patient_id AS k_patient, l.k_wait AS k_wait,
  CASE WHEN l.is_completed THEN 4 WHEN l.is_started THEN 3 WHEN l.is_consulted THEN 2
       WHEN l.is_screened OR l.triage_outcome NOT IN ('', %s) THEN 1 ELSE 0 END AS k_stage
FROM ({leads}) l
"""


def _leads(scope: queries.Scope) -> None:
    first = LeadEvent.objects.filter(lead=OuterRef("pk"), kind=LeadEvent.Kind.CONTACT)
    marked = (
        queries.leads(scope)
        .annotate(k_contact=Subquery(first.order_by("at").values("at")[:1],
                                     output_field=DateTimeField()))
        .annotate(k_wait=ExpressionWrapper(F("k_contact") - F("created_at"),
                                           output_field=DurationField()))
        .order_by()
        .values_list("id", "location_id", "created_at", "patient_id", "is_completed",
                     "is_started", "is_consulted", "is_screened", "triage_outcome", "k_wait")
    )  # fmt: skip
    leads_sql, params = marked.query.sql_with_params()
    columns = {"lead_id": "k_lead", "location": "k_location", "created_at": "k_created",
               "patient": "k_patient", "stage": "k_stage", "wait": "k_wait"}  # fmt: skip
    sql = LEAD_SQL.format(leads=leads_sql)
    _insert(LeadSummary, columns, sql, [Outcome.INCOMPLETE, *params])


def _keys(month: str, path: str = "") -> dict[str, Any]:
    """The grouping keys of a monthly count: location, local month, cohort, conditions."""
    tz = timezone.get_current_timezone()
    return {
        "k_location": F(f"{path}location_id"),
        "k_month": TruncMonth(month, tzinfo=tz),
        "k_cohort": F(f"{path}{SUMMARY}cohort_month"),
        "k_conditions": F(f"{path}{SUMMARY}conditions"),
    }


KEYS = ("k_location", "k_month", "k_cohort", "k_conditions")


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    month = row["k_month"]
    month = timezone.localtime(month).date() if isinstance(month, dt.datetime) else month
    return (row["k_location"], month, row["k_cohort"], row["k_conditions"] or "")


def _grouped(rows: QuerySet[Any, Any], **counts: Any) -> Iterable[dict[str, Any]]:
    grouped: Iterable[dict[str, Any]] = rows.order_by().values(*KEYS).annotate(**counts)
    return grouped


def _operations(ids: tuple[int, ...]) -> None:
    counts: dict[tuple[Any, ...], dict[str, int]] = defaultdict(dict)
    appointments = Appointment.objects.filter(location_id__in=ids).annotate(**_keys("starts_at"))
    filters = {key: Count("pk", filter=q) for key, q in queries.OPERATION_FILTERS.items()}
    for row in _grouped(appointments, **filters):
        counts[_key(row)].update({key: row[key] for key in queries.OPERATION_FILTERS})
    given = Infusion.objects.filter(location_id__in=ids, started_at__isnull=False)
    for row in _grouped(given.annotate(**_keys("started_at")), infusions=Count("pk")):
        counts[_key(row)]["infusions"] = row["infusions"]
    for model, key in ((ChairsideAlert, "alerts"), (AdverseEvent, "adverse_events")):
        events = model.objects.filter(infusion__in=given).annotate(
            **_keys("infusion__started_at", "infusion__")
        )
        for row in _grouped(events, n=Count("pk")):
            counts[_key(row)][key] = row["n"]
    _bulk(OperationMonth, (
        OperationMonth(location_id=k[0], month=k[1], cohort_month=k[2], conditions=k[3], **n)
        for k, n in counts.items()
    ))  # fmt: skip


def _chairs(ids: tuple[int, ...]) -> None:
    spans = queries.chair_spans(Appointment.objects.filter(location_id__in=ids))
    rows = (
        spans.annotate(**_keys("starts_at")).order_by()
        .values(*KEYS, "weekday", "begin", "finish").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    _bulk(ChairMonth, (
        ChairMonth(location_id=key[0], month=key[1], cohort_month=key[2], conditions=key[3],
                   weekday=row["weekday"], begin=row["begin"], finish=row["finish"],
                   count=row["n"])
        for row in rows.iterator(chunk_size=BATCH) for key in [_key(row)]
    ))  # fmt: skip


def _diary(ids: tuple[int, ...]) -> None:
    """Per patient and month (the diary's days are local days already)."""
    days = DrinkingDay.objects.filter(patient__location_id__in=ids).annotate(
        k_patient=F("patient_id"),
        k_location=F("patient__location_id"),
        k_month=TruncMonth("day"),
        k_cohort=F(f"{SUMMARY}cohort_month"),
        k_conditions=Coalesce(F(f"{SUMMARY}conditions"), Value("")),
    )
    rows = (
        days.order_by().values("k_patient", *KEYS)
        .annotate(k_recorded=Count("pk"), k_abstinent=Count("pk", filter=Q(drinks=0)),
                  k_heavy=Count("pk", filter=queries.HEAVY))
        .order_by()
    )  # fmt: skip
    columns = {"patient_id": "k_patient", "location": "k_location", "month": "k_month",
               "cohort_month": "k_cohort", "conditions": "k_conditions",
               "recorded": "k_recorded", "abstinent": "k_abstinent",
               "heavy": "k_heavy"}  # fmt: skip
    _insert(DiaryMonth, columns, *rows.query.sql_with_params())
