"""The dashboard's summaries: the figures' inputs worked out ahead of time, per
organisation, by `refresh_dashboard` (refresh.py, a scheduled job), so the page adds up a
few narrow tables instead of scanning every appointment, score and diary day.

Every summary row is the organisation's until the next refresh replaces them all in one
transaction (delete and insert): the page never sees half a refresh. The rows point at
patients, leads and locations without database constraints (DO_NOTHING): deleting a lead
or a patient is not slowed or blocked by its figures; the next refresh drops the row.
Months and days are local (the zone the refresh ran in, kept in `Refresh.time_zone`).
"""

from django.db import models

from dendrite.clinics.models import Location, Organization
from dendrite.patients.models import Patient


def _location() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        Location, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )


class Refresh(models.Model):
    """When an organisation's summaries were last rebuilt, and under which settings."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="dashboard_refresh"
    )
    refreshed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)  # how long the refresh took
    time_zone = models.CharField(max_length=64)  # the zone its months and days are in
    # The relapse definition the relapse days were worked out under (RecoverySettings).
    heavy_days = models.PositiveSmallIntegerField()
    window_days = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"Dashboard of organisation {self.organization_id} as of {self.refreshed_at}"


class PatientSummary(models.Model):
    """One row per patient of the organisation: the cohort keys (first infusion done, its
    local month, the conditions of the diagnoses), the PHQ-9 baseline and the score at
    each time point (queries.TIME_POINTS), and the days from the first infusion's day to
    the first diary day and to the first relapse day (within queries.RELAPSE_DAYS[-1])."""

    patient = models.OneToOneField(
        Patient,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="dashboard_summary",
    )
    location = _location()
    first_infusion_at = models.DateTimeField(null=True)
    first_day = models.DateField(null=True)  # local day of the first infusion
    cohort_month = models.DateField(null=True)  # first of its local month
    # The plan conditions the diagnoses match, "|depression|ptsd|" ("" for none).
    conditions = models.CharField(max_length=120, blank=True)
    baseline = models.SmallIntegerField(null=True)
    score_induction = models.SmallIntegerField(null=True)
    score_month3 = models.SmallIntegerField(null=True)
    score_month6 = models.SmallIntegerField(null=True)
    diary_after = models.SmallIntegerField(null=True)  # days: first diary day
    relapse_after = models.SmallIntegerField(null=True)  # days: first relapse day

    class Meta:
        indexes = [models.Index(fields=["location", "first_infusion_at"])]

    def __str__(self) -> str:
        return f"Dashboard row of patient {self.patient_id}"


class LeadSummary(models.Model):
    """One row per lead: the furthest funnel stage it reached (0 inquiry … 4 series
    completed, queries.reached's rules) and the wait to the first contact attempt."""

    lead_id = models.IntegerField(primary_key=True)
    location = _location()
    created_at = models.DateTimeField()
    patient = models.ForeignKey(
        PatientSummary, on_delete=models.DO_NOTHING, db_constraint=False, null=True,
        related_name="+",
    )  # fmt: skip
    stage = models.SmallIntegerField()
    wait = models.DurationField(null=True)

    class Meta:
        indexes = [models.Index(fields=["location", "created_at"])]

    def __str__(self) -> str:
        return f"Dashboard row of lead {self.lead_id}"


class Grouped(models.Model):
    """The keys every monthly count is grouped by: where, which local month, and the
    cohort of the patient (their first infusion's month, their conditions)."""

    location = _location()
    month = models.DateField()  # first of the local month
    cohort_month = models.DateField(null=True)
    conditions = models.CharField(max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.month} at location {self.location_id}"


class OperationMonth(Grouped):
    """Appointments (by starts_at) and infusions, alerts and adverse events (by the
    infusion's started_at) counted per month (queries.operations' rules). Each kind is
    inserted as rows of its own (the other counts 0): the page adds up a month's rows."""

    appointments = models.IntegerField(db_default=0)
    no_shows = models.IntegerField(db_default=0)
    late_cancels = models.IntegerField(db_default=0)
    boosters = models.IntegerField(db_default=0)
    infusions = models.IntegerField(db_default=0)
    alerts = models.IntegerField(db_default=0)
    adverse_events = models.IntegerField(db_default=0)

    class Meta:
        indexes = [models.Index(fields=["location", "month"])]


class ChairMonth(Grouped):
    """Appointments that held a chair per month and (weekday, first minute, last minute)
    of the local day (queries.chair_use's rules)."""

    weekday = models.SmallIntegerField()
    begin = models.SmallIntegerField()
    finish = models.SmallIntegerField()
    count = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["location", "month"])]


class DiaryMonth(Grouped):
    """A patient's drinking-diary days in one month: recorded, abstinent, heavy
    (queries.substance_use's rules). Per patient, because the patients who kept a diary
    cannot be added up over months."""

    patient_id = models.IntegerField()
    recorded = models.IntegerField()
    abstinent = models.IntegerField()
    heavy = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["location", "month"])]
