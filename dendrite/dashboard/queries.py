"""The dashboard's figures, each added up by the database (Count with a filter, Exists,
Subquery): a fixed number of queries however many patients there are, and the same
answers on SQLite and PostgreSQL. Reached only through access.py, which scopes them.

Definitions (docs/dashboard.md):
- inquiries: leads that arrived in the months chosen at the locations chosen;
- screenings, consultations, series started, series completed: of those leads, the ones
  that reached that stage or a later one (a finished self-screening or a triage outcome
  other than "not finished";
  a consultation done; an infusion of a series done; every infusion of a series done);
- first contact: the first contact attempt recorded on the lead;
- operations: appointments and infusions in the months chosen;
- outcomes (PHQ-9): patients whose first infusion fell in the months chosen. Baseline is
  the last score before the first infusion (outcomes/status.py); a time point's score is
  the last one in its window after the first infusion (TIME_POINTS). Response and
  remission use the clinic's OutcomeSettings (CLINICAL.md §2: a drop of 50 % or more;
  a total below 5), over the patients with a baseline and a score at that point.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    ExtractHour,
    ExtractIsoWeekDay,
    ExtractMinute,
    Replace,
    TruncDate,
    Upper,
)
from django.utils import timezone

from dendrite.infusions.models import AdverseEvent, ChairsideAlert, Infusion
from dendrite.leads.models import Lead, LeadEvent, Outcome
from dendrite.outcomes.cadence import condition_codes
from dendrite.outcomes.models import OutcomeSettings
from dendrite.patients.models import Diagnosis, Patient, QuestionnaireResponse
from dendrite.recovery.metrics import HEAVY_MEN, HEAVY_WOMEN, Definition
from dendrite.recovery.models import DrinkingDay, RecoverySettings
from dendrite.scheduling.models import Appointment, Kind, Series, Status
from dendrite.screening.models import ScreeningSession

from . import figures


@dataclass(frozen=True)
class Scope:
    location_ids: tuple[int, ...]
    start: dt.datetime  # from, inclusive
    end: dt.datetime  # to, exclusive
    condition: str = ""  # a plan condition (outcomes.models.Condition), or every patient
    cohort_start: dt.datetime | None = None  # first infusion in this month, or any time
    cohort_end: dt.datetime | None = None


def _done(kind: str, patient: str) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        patient=OuterRef(patient), appointment_type__kind=kind, status=Status.DONE
    )


def condition_q(condition: str, patient: str) -> Q:
    """Rows whose patient has a diagnosis of the plan condition (conditions.json's
    ICD-10 prefixes, dots and case ignored)."""
    prefixes = condition_codes().get(condition, ())
    plain = Diagnosis.objects.annotate(plain=Replace(Upper("code"), Value("."), Value(""))).filter(
        patient=OuterRef(patient)
    )
    matches = Q()
    for prefix in prefixes:
        matches |= Q(plain__startswith=prefix)
    return Q(Exists(plain.filter(matches))) if prefixes else Q(pk__in=[])


def patient_filter(scope: Scope, patient: str) -> Q:
    """The cohort: patients with the condition's diagnosis, whose first infusion fell in
    the cohort month. `patient` is the path from the rows filtered to their patient."""
    q = Q()
    if scope.condition:
        q &= condition_q(scope.condition, patient)
    if scope.cohort_start and scope.cohort_end:
        infusions = _done(Kind.INFUSION, patient)
        q &= Q(Exists(infusions.filter(starts_at__gte=scope.cohort_start,
                                       starts_at__lt=scope.cohort_end)))  # fmt: skip
        q &= ~Q(Exists(infusions.filter(starts_at__lt=scope.cohort_start)))
    return q


# The funnel


STAGES = (
    ("inquiries", "Inquiries"),
    ("screenings", "Screenings"),
    ("consultations", "Consultations"),
    ("started", "Series started"),
    ("completed", "Series completed"),
)
STAGE_LABELS = dict(STAGES)


def _patients_with(kind: str, **extra: Any) -> QuerySet[Any, Any]:
    return Appointment.objects.filter(
        appointment_type__kind=kind, status=Status.DONE, **extra
    ).values("patient")


def leads(scope: Scope) -> QuerySet[Lead]:
    """The scope's leads, each marked with the furthest stage it reached. The marks are
    `patient IN (…)` over sets the database builds once (a hashed subplan on
    PostgreSQL), not a subquery per lead."""
    completed = (
        Series.objects.annotate(done=Count("appointments",
                                           filter=Q(appointments__status=Status.DONE)))
        .filter(done__gte=F("infusions")).values("patient")
    )  # fmt: skip
    screened = ScreeningSession.objects.filter(lead=OuterRef("pk"), finished_at__isnull=False)

    def mark(q: Q) -> Case:  # never NULL, also for a lead without a patient
        return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())

    return (
        Lead.objects.filter(
            location_id__in=scope.location_ids,
            created_at__gte=scope.start,
            created_at__lt=scope.end,
        )
        .filter(patient_filter(scope, "patient"))
        .annotate(
            is_completed=mark(Q(patient__in=completed)),
            is_started=mark(Q(patient__in=_patients_with(Kind.INFUSION, series__isnull=False))),
            is_consulted=mark(Q(patient__in=_patients_with(Kind.CONSULTATION))),
            is_screened=Exists(screened),
        )
    )


def reached(stage: str) -> Q:
    """Leads that reached `stage` or a later one."""
    later = {
        "inquiries": Q(pk__isnull=False),
        "screenings": Q(is_screened=True)
        | (~Q(triage_outcome="") & ~Q(triage_outcome=Outcome.INCOMPLETE)),
        "consultations": Q(is_consulted=True),
        "started": Q(is_started=True),
        "completed": Q(is_completed=True),
    }
    keys = [key for key, _ in STAGES]
    q = Q()
    for key in keys[keys.index(stage) :]:
        q |= later[key]
    return q


# Each stage counts the leads that reached it or a later one (`reached`'s rules), summed
# over the leads' marks read once: an aggregate with a Count filter per stage made the
# database run the marks' subqueries again in every filter (docs/benchmarks.md "Staff
# pages and dashboard at network size").
FUNNEL_SQL = """
SELECT COUNT(*),
  COALESCE(SUM(CASE WHEN l.is_completed OR l.is_started OR l.is_consulted OR l.is_screened
                      OR l.triage_outcome NOT IN ('', %s) THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN l.is_completed OR l.is_started OR l.is_consulted
                    THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN l.is_completed OR l.is_started THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN l.is_completed THEN 1 ELSE 0 END), 0)
FROM ({leads}) AS l
"""


def funnel(scope: Scope) -> list[figures.Step]:
    """Inquiries → screenings → consultations → series started → completed, in SQL."""
    flags = ("is_screened", "is_consulted", "is_started", "is_completed", "triage_outcome")
    leads_sql, params = leads(scope).order_by().values_list(*flags).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(FUNNEL_SQL.format(leads=leads_sql), [Outcome.INCOMPLETE, *params])
        counts = cursor.fetchone()
    return figures.funnel(
        [(key, label, int(count)) for (key, label), count in zip(STAGES, counts, strict=True)]
    )


def first_contact_median(scope: Scope) -> tuple[dt.timedelta | None, int]:
    """Median time from inquiry to first contact attempt, and how many leads it is of."""
    first = LeadEvent.objects.filter(lead=OuterRef("pk"), kind=LeadEvent.Kind.CONTACT)
    waits = (
        leads(scope)
        .annotate(
            first_contact=Subquery(
                first.order_by("at").values("at")[:1], output_field=DateTimeField()
            )
        )
        .filter(first_contact__isnull=False)
        .annotate(
            wait=ExpressionWrapper(
                F("first_contact") - F("created_at"), output_field=DurationField()
            )
        )
    )
    count = waits.count()
    low, high = figures.middle_slice(count)
    middle = list(waits.order_by("wait", "pk").values_list("wait", flat=True)[low:high])
    return figures.median(middle), count


# Operations


def appointments(scope: Scope) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        location_id__in=scope.location_ids, starts_at__gte=scope.start, starts_at__lt=scope.end
    ).filter(patient_filter(scope, "patient"))


def infusions(scope: Scope) -> QuerySet[Infusion]:
    return Infusion.objects.filter(
        location_id__in=scope.location_ids,
        started_at__gte=scope.start,
        started_at__lt=scope.end,
    ).filter(patient_filter(scope, "patient"))


OPERATION_FILTERS: dict[str, Q] = {
    "appointments": Q(pk__isnull=False),
    "no_shows": Q(status=Status.NO_SHOW),
    "late_cancels": Q(status=Status.CANCELLED, late_cancel=True),
    "boosters": Q(status=Status.DONE, appointment_type__kind=Kind.BOOSTER),
}


@dataclass(frozen=True)
class Operations:
    appointments: int
    no_shows: int
    late_cancels: int
    boosters: int
    infusions: int
    alerts: int
    adverse_events: int

    def rows(self) -> list[tuple[str, str, int, str]]:
        """(figure key, label, count, rate) for the table and the CSV."""
        a, n = self.appointments, self.infusions
        return [
            ("appointments", "Appointments", a, ""),
            ("no_shows", "No-shows", self.no_shows, figures.percent(self.no_shows, a)),
            ("late_cancels", "Late cancellations", self.late_cancels,
             figures.percent(self.late_cancels, a)),
            ("infusions", "Infusions given", n, ""),
            ("alerts", "Vitals alerts per 100 infusions", self.alerts,
             figures.per_100(self.alerts, n)),
            ("adverse_events", "Adverse events per 100 infusions", self.adverse_events,
             figures.per_100(self.adverse_events, n)),
            ("boosters", "Booster infusions given", self.boosters, ""),
        ]  # fmt: skip


def operations(scope: Scope) -> Operations:
    counts = appointments(scope).aggregate(
        **{key: Count("pk", filter=q) for key, q in OPERATION_FILTERS.items()}
    )
    given = infusions(scope)
    return Operations(
        infusions=given.count(),
        alerts=ChairsideAlert.objects.filter(infusion__in=given).count(),
        adverse_events=AdverseEvent.objects.filter(infusion__in=given).count(),
        **counts,
    )


# Outcomes


# (key, label, from, to): the window after the first infusion whose last PHQ-9 counts. The
# dashboard's own windows (not clinical thresholds): an induction series is done within
# about three weeks (CLINICAL.md §3.3), so six weeks leaves room for the last visits.
TIME_POINTS = (
    ("induction", "End of induction", dt.timedelta(0), dt.timedelta(days=42)),
    ("month3", "3 months", dt.timedelta(days=75), dt.timedelta(days=105)),
    ("month6", "6 months", dt.timedelta(days=165), dt.timedelta(days=195)),
)
OUTCOME_FIGURES = ("data", "response", "remission")


def thresholds(scope: Scope) -> tuple[int, int]:
    """(response per cent, remission below) of the organisation of the scope's locations."""
    from dendrite.clinics.models import Location

    org = Location.objects.filter(pk__in=scope.location_ids).values("organization_id")[:1]
    found = OutcomeSettings.objects.filter(organization_id__in=Subquery(org)).first()
    found = found or OutcomeSettings()
    return found.response_percent, found.remission_below


def treated(scope: Scope) -> QuerySet[Patient]:
    """Patients whose first infusion fell in the months, each with the PHQ-9 baseline and
    the score at each time point."""
    first = _done(Kind.INFUSION, "pk").order_by("starts_at").values("starts_at")[:1]
    phq9 = QuestionnaireResponse.objects.filter(
        patient=OuterRef("pk"), instrument="phq-9", total__isnull=False
    )
    patients = (
        Patient.objects.filter(location_id__in=scope.location_ids)
        .filter(patient_filter(scope, "pk"))
        .annotate(first_infusion=Subquery(first, output_field=DateTimeField()))
        .filter(first_infusion__gte=scope.start, first_infusion__lt=scope.end)
        .annotate(
            baseline=Subquery(
                phq9.filter(authored_at__lt=OuterRef("first_infusion"))
                .order_by("-authored_at", "-id").values("total")[:1]
            )
        )
    )  # fmt: skip
    for key, _, start, end in TIME_POINTS:
        window = phq9.filter(
            authored_at__gte=OuterRef("first_infusion") + start,
            authored_at__lte=OuterRef("first_infusion") + end,
        )
        latest = window.order_by("-authored_at", "-id").values("total")[:1]
        patients = patients.annotate(**{f"score_{key}": Subquery(latest)})
    return patients


def outcome_q(key: str, figure: str, response_percent: int, remission_below: int) -> Q:
    data = Q(baseline__isnull=False, **{f"score_{key}__isnull": False})
    if figure == "response":  # outcomes.status.is_response, in whole numbers
        return (
            data
            & Q(baseline__gt=0)
            & Q(**{f"score_{key}__lte": F("baseline") * (100 - response_percent) / 100.0})
        )
    if figure == "remission":
        return data & Q(**{f"score_{key}__lt": remission_below})
    return data


def first_infusions(scope: Scope) -> QuerySet[Any, Any]:
    """(patient, first_at): the scope's patients whose first infusion done fell in the
    months, with its time — one grouped scan of the infusions done, instead of the
    first infusion worked out again per patient in every subquery that needs it."""
    patients = (
        Patient.objects.filter(location_id__in=scope.location_ids)
        .filter(patient_filter(scope, "pk")).values("pk")
    )  # fmt: skip
    return (
        Appointment.objects.filter(
            appointment_type__kind=Kind.INFUSION, status=Status.DONE, patient__in=patients
        )
        .order_by().values("patient").annotate(first_at=Min("starts_at"))
        .filter(first_at__gte=scope.start, first_at__lt=scope.end)
    )  # fmt: skip


# The PHQ-9 scores of the cohort (`first_infusions`), each with the patient's first
# infusion, oldest first per patient.
PHQ9_SQL = """
WITH cohort (patient_id, first_at) AS ({cohort})
SELECT q.patient_id, c.first_at, q.authored_at, q.total
FROM cohort c JOIN patients_questionnaireresponse q ON q.patient_id = c.patient_id
WHERE q.instrument = 'phq-9' AND q.total IS NOT NULL AND q.authored_at <= %s
ORDER BY q.patient_id, q.authored_at, q.id
"""


def _moment(value: dt.datetime | str) -> dt.datetime:
    """A timestamp from a raw cursor: SQLite gives Django's UTC text, or a naive UTC
    datetime for a column it knows the type of."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def phq9_by_patient(scope: Scope) -> Iterator[tuple[int, int | None, list[int | None]]]:
    """(patient, baseline, score at each time point) of each patient of the cohort
    (`first_infusions`) with a PHQ-9 score: one query, the scores read oldest first and
    picked by figures.phq9_points."""
    windows = [(start, end) for _, _, start, end in TIME_POINTS]
    cohort_sql, params = first_infusions(scope).query.sql_with_params()
    last = connection.ops.adapt_datetimefield_value(scope.end + max(e for _, e in windows))
    with connection.cursor() as cursor:
        cursor.execute(PHQ9_SQL.format(cohort=cohort_sql), [*params, last])
        rows = cursor.fetchall()
    for patient, scores in groupby(rows, key=itemgetter(0)):
        found = [(_moment(first), _moment(at), total) for _, first, at, total in scores]
        baseline, points = figures.phq9_points(
            found[0][0], [(at, total) for _, at, total in found], windows
        )
        yield patient, baseline, points


def outcomes(scope: Scope) -> list[figures.OutcomeRow]:
    """[(key, label, with data, responders, in remission)] per time point.

    One query: the first infusion of each treated patient once (`first_infusions`),
    joined to their PHQ-9 scores up to the last window, oldest first; the baseline and
    the score at each time point are picked here (figures.phq9_points: `treated`'s
    rules) and counted (outcome_q's rules, in whole numbers: a response is a score at or below
    baseline × (100 − percent) / 100). Subqueries per patient in the database took
    seconds at network size (docs/benchmarks.md "Staff pages and dashboard at network
    size")."""
    percent, below = thresholds(scope)
    keys = [key for key, *_ in TIME_POINTS]
    counts = {f"{key}_{figure}": 0 for key in keys for figure in OUTCOME_FIGURES}
    for _, baseline, points in phq9_by_patient(scope):
        for key, score in zip(keys, points, strict=True):
            if baseline is None or score is None:
                continue
            counts[f"{key}_data"] += 1
            if baseline > 0 and score * 100 <= baseline * (100 - percent):
                counts[f"{key}_response"] += 1
            if score < below:
                counts[f"{key}_remission"] += 1
    return [
        figures.OutcomeRow(key, label, counts[f"{key}_data"], counts[f"{key}_response"],
                           counts[f"{key}_remission"])
        for key, label, *_ in TIME_POINTS
    ]  # fmt: skip


# Substance use


def drinking_days(scope: Scope) -> QuerySet[DrinkingDay]:
    """Diary days (recorded days only: a day without data is unknown) in the months."""
    return DrinkingDay.objects.filter(
        patient__location_id__in=scope.location_ids,
        day__gte=timezone.localdate(scope.start),
        day__lt=timezone.localdate(scope.end),
    ).filter(patient_filter(scope, "patient"))


# A heavy drinking day: 5 or more drinks for men, 4 or more otherwise (recovery/metrics.py,
# CLINICAL.md §2).
HEAVY = Q(patient__sex="male", drinks__gte=HEAVY_MEN) | (
    ~Q(patient__sex="male") & Q(drinks__gte=HEAVY_WOMEN)
)


def substance_use(scope: Scope) -> figures.Drinking:
    counts = drinking_days(scope).aggregate(
        patients=Count("patient", distinct=True),
        recorded=Count("pk"),
        abstinent=Count("pk", filter=Q(drinks=0)),
        heavy=Count("pk", filter=HEAVY),
    )
    return figures.Drinking(**counts)


# Relapse after the first infusion


# Days after the first infusion (its day is day 0) by which a relapse counts.
RELAPSE_DAYS = (30, 90, 180)
RELAPSE_FIGURES = ("data", "relapsed")


def relapse_definition(scope: Scope) -> Definition:
    """The lapse and relapse definition (recovery.models.RecoverySettings) of the
    organisation of the scope's locations, or the defaults."""
    from dendrite.clinics.models import Location

    org = Location.objects.filter(pk__in=scope.location_ids).values("organization_id")[:1]
    found = RecoverySettings.objects.filter(organization_id__in=Subquery(org)).first()
    return found.definition if found else Definition()


def _days(count: int) -> dt.timedelta:
    return dt.timedelta(days=count)


def relapsing(scope: Scope, definition: Definition) -> QuerySet[Patient]:
    """Patients whose first infusion fell in the months (as `treated`), each marked per
    RELAPSE_DAYS: with diary data in those days, and relapsed in them. A relapse under
    the clinic's definition (recovery/metrics.py `relapses`): a heavy drinking day on
    which the heavy days of the last `window_days` days, counting only days from the
    first infusion on, reach `heavy_days`. Days before the first infusion do not count."""
    first = (
        _done(Kind.INFUSION, "pk").order_by("starts_at")
        .annotate(on=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()))
        .values("on")[:1]
    )  # fmt: skip
    heavy_before = (
        DrinkingDay.objects.filter(HEAVY, patient=OuterRef("patient"))
        .filter(day__lte=OuterRef("day"), day__gte=OuterRef(OuterRef("first_day")))
        .filter(day__gt=ExpressionWrapper(OuterRef("day") - _days(definition.window_days),
                                          output_field=DateField()))
        .order_by().values("patient").annotate(n=Count("pk")).values("n")
    )  # fmt: skip
    patients = (
        Patient.objects.filter(location_id__in=scope.location_ids)
        .filter(patient_filter(scope, "pk"))
        .annotate(first_infusion=Subquery(_done(Kind.INFUSION, "pk").order_by("starts_at")
                                          .values("starts_at")[:1]),
                  first_day=Subquery(first, output_field=DateField()))
        .filter(first_infusion__gte=scope.start, first_infusion__lt=scope.end)
    )  # fmt: skip
    for days in RELAPSE_DAYS:
        until = ExpressionWrapper(OuterRef("first_day") + _days(days), output_field=DateField())
        diary = DrinkingDay.objects.filter(
            patient=OuterRef("pk"), day__gte=OuterRef("first_day"), day__lt=until
        )
        relapse = (
            diary.filter(HEAVY)
            .annotate(heavy=Subquery(heavy_before))
            .filter(heavy__gte=definition.heavy_days)
        )
        patients = patients.annotate(
            **{f"data_{days}": Exists(diary), f"relapsed_{days}": Exists(relapse)}
        )
    return patients


def relapse_q(days: int, figure: str) -> Q:
    if figure == "relapsed":
        return Q(**{f"data_{days}": True, f"relapsed_{days}": True})
    return Q(**{f"data_{days}": True})


# Per patient of the cohort: the first diary day and the first relapse day from the day
# of the first infusion on (within the longest period). A relapse day is a heavy day whose
# (heavy_days − 1)-th heavy day before it, from day 0 on, is within window_days: LAG over
# the heavy days (SQLite 3.25 and later, PostgreSQL).
RELAPSE_SQL = """
WITH cohort (patient_id, first_at, first_day) AS ({cohort}),
heavy AS (
  SELECT d.patient_id, d.day, c.first_day,
         LAG(d.day, {back}) OVER (PARTITION BY d.patient_id ORDER BY d.day) AS back_day
  FROM cohort c
  JOIN recovery_drinkingday d ON d.patient_id = c.patient_id
  JOIN patients_patient p ON p.id = d.patient_id
  WHERE d.day >= c.first_day AND d.day < {last_day}
    AND ((p.sex = 'male' AND d.drinks >= %s) OR (p.sex <> 'male' AND d.drinks >= %s))
),
relapsed AS (
  SELECT patient_id, MIN(day) AS day FROM heavy
  WHERE back_day IS NOT NULL AND {back_window} > day
  GROUP BY patient_id
),
diary AS (
  SELECT c.patient_id, c.first_day, MIN(d.day) AS day
  FROM cohort c JOIN recovery_drinkingday d ON d.patient_id = c.patient_id
  WHERE d.day >= c.first_day AND d.day < {last_day}
  GROUP BY c.patient_id, c.first_day
)
SELECT {select} FROM diary LEFT JOIN relapsed ON relapsed.patient_id = diary.patient_id
"""


def _plus_days(sql: str, days: int) -> str:
    """A date expression `days` later, on either database (dates are ISO text on SQLite)."""
    if connection.vendor == "sqlite":
        return f"date({sql}, '+{int(days)} days')"
    return f"({sql} + {int(days)})"


def relapse_sql(scope: Scope, definition: Definition, select: str) -> tuple[str, list[Any]]:
    """RELAPSE_SQL for the scope's cohort, selecting `select` from `diary` (patient_id,
    first_day, day: the first diary day) and `relapsed` (day: the first relapse day)."""
    cohort = first_infusions(scope).annotate(
        first_day=TruncDate(Min("starts_at"), tzinfo=timezone.get_current_timezone())
    )
    cohort_sql, cohort_params = cohort.query.sql_with_params()
    sql = RELAPSE_SQL.format(
        cohort=cohort_sql,
        back=max(definition.heavy_days - 1, 0),
        last_day=_plus_days("c.first_day", max(RELAPSE_DAYS)),
        back_window=_plus_days("back_day", definition.window_days),
        select=select,
    )
    return sql, [*cohort_params, HEAVY_MEN, HEAVY_WOMEN]


def relapse(scope: Scope) -> list[figures.RelapseRow]:
    """Per RELAPSE_DAYS: patients with diary data in those days, and of them relapsed; one
    query (and one for the definition), set-based: the cohort's first infusions once
    (`first_infusions`), the heavy days with a window function. The same rules as
    `relapsing` (which lists the patients behind each figure); the tests check that
    both agree."""
    sums = []
    for days in RELAPSE_DAYS:
        sums.append(f"SUM(CASE WHEN diary.day < {_plus_days('diary.first_day', days)} "
                    "THEN 1 ELSE 0 END)")  # fmt: skip
        sums.append(f"SUM(CASE WHEN relapsed.day < {_plus_days('diary.first_day', days)} "
                    "THEN 1 ELSE 0 END)")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(*relapse_sql(scope, relapse_definition(scope), ", ".join(sums)))
        found = [int(value or 0) for value in cursor.fetchone()]
    return [
        figures.RelapseRow(days, found[2 * n], found[2 * n + 1])
        for n, days in enumerate(RELAPSE_DAYS)
    ]


# Chair use by weekday and hour

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS = range(24)
# Infusions and boosters that held their chair: not cancelled, not missed.
CHAIR_HELD = Q(appointment_type__kind__in=[Kind.INFUSION, Kind.BOOSTER]) & ~Q(
    status__in=[Status.CANCELLED, Status.NO_SHOW, Status.LEFT]
)


def _minute_of_day(field: str) -> Any:
    return ExtractHour(field) * 60 + ExtractMinute(field)


def chair_use(scope: Scope) -> figures.ChairUse:
    """Chair-minutes per weekday and hour (local time) of the infusion and booster
    appointments in the months that held their chair (booked time, start to end; an
    appointment past midnight counts up to midnight). One query: the appointments counted
    per (weekday, first minute, last minute) of the day — a few hundred groups however
    many appointments — spread over the hours here (figures.chair_minutes). A sum per
    hour in the database worked out each appointment's minutes 24 times
    (docs/benchmarks.md "Staff pages and dashboard at network size")."""
    rows = (
        chair_spans(appointments(scope))
        .values_list("weekday", "begin", "finish")
        .annotate(n=Count("pk"))
    )
    return figures.ChairUse(figures.chair_minutes(list(rows)))


def chair_spans(rows: QuerySet[Appointment]) -> QuerySet[Any, Any]:
    """The appointments that held their chair, each with its local ISO weekday and the
    first and last minute of the day it held the chair (past midnight: up to midnight)."""
    return (
        rows.filter(CHAIR_HELD)
        .annotate(
            weekday=ExtractIsoWeekDay("starts_at"),
            begin=_minute_of_day("starts_at"),
            stop=_minute_of_day("ends_at"),
        )
        .annotate(finish=Case(  # past midnight: up to midnight
            When(ends_at__gte=F("starts_at") + dt.timedelta(days=1), then=Value(24 * 60)),
            When(stop__lt=F("begin"), then=Value(24 * 60)),
            default=F("stop"), output_field=IntegerField(),
        ))
        .order_by()
    )  # fmt: skip


# The people behind a figure


def behind(scope: Scope, figure: str) -> QuerySet[Any] | None:
    """The rows behind one figure, with the patient or lead named; None if no such figure.
    Lead stages: the leads (name, arrived); dropped_<stage>: reached the stage before and
    not this one. Operations: the appointments, infusions or their events."""
    keys = [key for key, _ in STAGES]
    if figure in keys:
        return leads(scope).filter(reached(figure)).order_by("created_at", "pk")
    if figure.startswith("dropped_") and figure[8:] in keys[1:]:
        stage = figure[8:]
        before = keys[keys.index(stage) - 1]
        return (
            leads(scope).filter(reached(before)).exclude(reached(stage))
            .order_by("created_at", "pk")
        )  # fmt: skip
    if figure in OPERATION_FILTERS:
        return (
            appointments(scope).filter(OPERATION_FILTERS[figure])
            .select_related("patient", "location").order_by("starts_at", "pk")
        )  # fmt: skip
    if figure.startswith("relapse"):
        days_text, _, kind = figure[7:].partition("_")
        if days_text not in {str(days) for days in RELAPSE_DAYS} or kind not in RELAPSE_FIGURES:
            return None
        return (
            relapsing(scope, relapse_definition(scope)).filter(relapse_q(int(days_text), kind))
            .select_related("location").order_by(F("first_infusion"), "pk")
        )  # fmt: skip
    point, _, kind = figure.partition("_")
    if point in {key for key, *_ in TIME_POINTS} and kind in OUTCOME_FIGURES:
        percent, below = thresholds(scope)
        return (
            treated(scope).filter(outcome_q(point, kind, percent, below))
            .select_related("location").order_by(F("first_infusion"), "pk")
        )  # fmt: skip
    if figure in {"diary", "abstinent", "heavy"}:
        days = drinking_days(scope)
        days = days.filter(drinks=0) if figure == "abstinent" else days
        days = days.filter(HEAVY) if figure == "heavy" else days
        return days.select_related("patient__location").order_by("day", "pk")
    given = infusions(scope)
    if figure == "infusions":
        return given.select_related("patient", "location").order_by("started_at", "pk")
    if figure == "alerts":
        return (
            ChairsideAlert.objects.filter(infusion__in=given)
            .select_related("infusion__patient", "location").order_by("raised_at", "pk")
        )  # fmt: skip
    if figure == "adverse_events":
        return (
            AdverseEvent.objects.filter(infusion__in=given)
            .select_related("infusion__patient", "infusion__location")
            .order_by("recorded_at", "pk")
        )  # fmt: skip
    return None
