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
from collections.abc import Iterable, Sequence
from itertools import batched
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
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
    conditions = list(Condition.values)
    found = list(people)  # read before the COPY: the connection is busy while it runs

    def rows() -> Iterable[tuple[Any, ...]]:
        for pk, location_id, *matches in found:
            at = first.get(pk)
            day = timezone.localtime(at).date() if at else None
            named = [c for c, match in zip(conditions, matches, strict=True) if match]
            baseline, points = scores.get(pk, (None, [None, None, None]))
            diary_after, relapse_after = diary.get(pk, (None, None))
            yield (pk, location_id, at, day, day.replace(day=1) if day else None,
                   f"|{'|'.join(named)}|" if named else "", baseline, *points,
                   diary_after, relapse_after)  # fmt: skip

    fields = ("patient", "location", "first_infusion_at", "first_day", "cohort_month",
              "conditions", "baseline", "score_induction", "score_month3", "score_month6",
              "diary_after", "relapse_after")  # fmt: skip
    _write(PatientSummary, fields, rows())


def _write(model: Any, names: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows of plain values into the model's columns: COPY on PostgreSQL, batched
    inserts on SQLite (model instances and bulk_create took twice as long at 100 000)."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        prepare = [field.get_db_prep_save for field in fields]
        for batch in batched(rows, BATCH):
            values = [[None if v is None else p(v, connection)
                       for p, v in zip(prepare, row, strict=True)] for row in batch]  # fmt: skip
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608


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


class LocalMonth(Func):
    """The first day of a datetime's month in the current zone, as a date, on either
    database (Django's TruncMonth gives a datetime, text on SQLite)."""

    output_field = DateField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        zone = timezone.get_current_timezone_name()
        sql, params = connection.ops.datetime_trunc_sql("month", sql, tuple(params), zone)
        if connection.vendor == "sqlite":
            return f"substr({sql}, 1, 10)", params
        return f"CAST({sql} AS date)", params


def _keys(month: str, path: str = "") -> dict[str, Any]:
    """The grouping keys of a monthly count: location, local month, cohort, conditions."""
    return {
        "k_location": F(f"{path}location_id"),
        "k_month": LocalMonth(month),
        "k_cohort": F(f"{path}{SUMMARY}cohort_month"),
        "k_conditions": Coalesce(F(f"{path}{SUMMARY}conditions"), Value("")),
    }


KEYS = ("k_location", "k_month", "k_cohort", "k_conditions")
COLUMNS = {"location": "k_location", "month": "k_month", "cohort_month": "k_cohort",
           "conditions": "k_conditions"}  # fmt: skip


def _insert_grouped(model: Any, rows: QuerySet[Any, Any], *fields: str, **counts: Any) -> None:
    """INSERT … SELECT the rows grouped by the monthly keys (and `fields`), with `counts`
    (aggregates) into the model's columns of the same names."""
    grouped = rows.order_by().values(*KEYS, *fields).annotate(**counts).order_by()
    columns = COLUMNS | {field: field for field in fields} | {key: key for key in counts}
    _insert(model, columns, *grouped.query.sql_with_params())


def _operations(ids: tuple[int, ...]) -> None:
    """One insert per kind of row counted; the page adds up the rows of a month."""
    appointments = Appointment.objects.filter(location_id__in=ids).annotate(**_keys("starts_at"))
    filters = {key: Count("pk", filter=q) for key, q in queries.OPERATION_FILTERS.items()}
    _insert_grouped(OperationMonth, appointments, **filters)
    given = Infusion.objects.filter(location_id__in=ids, started_at__isnull=False)
    _insert_grouped(OperationMonth, given.annotate(**_keys("started_at")), infusions=Count("pk"))
    for model, key in ((ChairsideAlert, "alerts"), (AdverseEvent, "adverse_events")):
        events = model.objects.filter(infusion__in=given).annotate(
            **_keys("infusion__started_at", "infusion__")
        )
        _insert_grouped(OperationMonth, events, **{key: Count("pk")})


def _chairs(ids: tuple[int, ...]) -> None:
    spans = queries.chair_spans(Appointment.objects.filter(location_id__in=ids))
    _insert_grouped(ChairMonth, spans.annotate(**_keys("starts_at")), "weekday", "begin",
                    "finish", count=Count("pk"))  # fmt: skip


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
