"""Measurement-based care: the clinic's measurement plan, one patient's changes to it, and
the questionnaires a patient is asked to answer (before a visit, or at a check-in).

A QuestionnaireRequest is reached by a signed, expiring link whose token is stored only
as a hash (tokens.py), or on the check-in tablet at the front desk. Its answers are kept
as a draft on the server as they come, so a reload or a closed tab loses nothing; each
completed questionnaire becomes a patients.QuestionnaireResponse.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dendrite.clinics.models import Location, Organization
from dendrite.patients.models import Patient
from dendrite.scheduling.models import Status

from . import status
from .cadence import DIARY, EVERY_DAYS, EVERY_VISIT, Change, Rule

STAFF = settings.AUTH_USER_MODEL


class Condition(models.TextChoices):
    DEPRESSION = "depression", "Depression"
    ANXIETY = "anxiety", "Anxiety"
    ALCOHOL = "alcohol", "Alcohol use"
    PTSD = "ptsd", "PTSD"


class Instrument(models.TextChoices):
    PHQ9 = "phq-9", "PHQ-9 (depression)"
    CSSRS = "c-ssrs-screener", "C-SSRS screener (suicide risk)"
    GAD7 = "gad-7", "GAD-7 (anxiety)"
    AUDITC = "audit-c", "AUDIT-C (alcohol)"
    PCL5 = "pcl-5", "PCL-5 (PTSD)"
    DAST10 = "dast-10", "DAST-10 (other drugs)"
    DIARY = DIARY, "Drinking diary"


class Cadence(models.TextChoices):
    EVERY_VISIT = EVERY_VISIT, "Before every visit"
    EVERY_DAYS = EVERY_DAYS, "Every so many days"


def validate_days(value: str) -> None:
    try:
        days = parse_days(value)
    except ValueError:
        raise ValidationError(
            "Write whole numbers of days separated by commas, such as 30, 90, 180."
        ) from None
    if not days or any(day < 1 for day in days):
        raise ValidationError("Give at least one day, each 1 or more.")


def parse_days(value: str) -> list[int]:
    return sorted({int(part) for part in value.split(",") if part.strip()})


class MeasurementPlan(models.Model):
    """The organisation's plan: which instruments, when (its PlanRules), and how they reach
    the patient. Every number is the clinic's to change in the back office."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="measurement_plan"
    )
    send_hours_before = models.PositiveSmallIntegerField(
        "send the link this many hours before a visit",
        default=24,
        help_text="The pre-visit questionnaire link goes out this long before the appointment.",
    )
    # After the induction series: check-ins at 30, 90 and 180 days (issue #15).
    check_in_days = models.CharField(
        "check-ins, days after the induction series",
        max_length=60,
        default="30, 90, 180",
        validators=[validate_days],
    )
    check_in_valid_days = models.PositiveSmallIntegerField(
        "days a check-in link stays open",
        default=7,
        help_text="A check-in not answered in this time opens a task for the front desk.",
    )

    class Meta:
        verbose_name = "measurement plan"

    def __str__(self) -> str:
        return f"Measurement plan of {self.organization}"

    @property
    def check_in_day_list(self) -> list[int]:
        return parse_days(self.check_in_days)

    def pure_rules(self) -> list[Rule]:
        return [rule.pure() for rule in self.rules.all()]


class PlanRule(models.Model):
    plan = models.ForeignKey(MeasurementPlan, on_delete=models.CASCADE, related_name="rules")
    condition = models.CharField(max_length=16, choices=Condition.choices)
    instrument = models.CharField(max_length=24, choices=Instrument.choices)
    cadence = models.CharField(max_length=16, choices=Cadence.choices)
    every_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="With “every so many days”: 30 for monthly."
    )

    class Meta:
        ordering = ["condition", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "condition", "instrument"], name="plan_rule_once"
            ),
            models.CheckConstraint(
                condition=Q(cadence=EVERY_VISIT) | Q(every_days__gte=1),
                name="plan_rule_days_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} for {self.get_condition_display()}"

    def clean(self) -> None:
        if self.cadence == EVERY_DAYS and not self.every_days:
            raise ValidationError({"every_days": "Give the number of days, such as 30."})

    def pure(self) -> Rule:
        return Rule(self.instrument, self.cadence, self.every_days, self.condition)


# What the organisation's plan starts with (issue #15). "Monthly" is every 30 days,
# a clinic-configurable reading of the "monthly".
DEFAULT_RULES = (
    (Condition.DEPRESSION, Instrument.PHQ9, EVERY_VISIT, None),
    (Condition.DEPRESSION, Instrument.CSSRS, EVERY_VISIT, None),
    (Condition.ANXIETY, Instrument.GAD7, EVERY_VISIT, None),
    (Condition.ALCOHOL, Instrument.AUDITC, EVERY_DAYS, 30),
    (Condition.ALCOHOL, Instrument.DIARY, EVERY_DAYS, 1),
    (Condition.PTSD, Instrument.PCL5, EVERY_DAYS, 30),
)


class PatientPlanChange(models.Model):
    """A prescriber's change to one patient's plan: an instrument added, removed, or asked
    at another cadence. One per instrument; changing it again replaces it (audited)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="plan_changes")
    instrument = models.CharField(max_length=24, choices=Instrument.choices)
    removed = models.BooleanField(default=False)
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=EVERY_VISIT)
    every_days = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instrument"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "instrument"], name="plan_change_once"),
        ]

    def __str__(self) -> str:
        return f"Plan change #{self.pk}"

    def pure(self) -> Change:
        return Change(self.instrument, self.removed, self.cadence, self.every_days)


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for answers"
    COMPLETED = "completed", "Completed"
    EXPIRED = "expired", "Expired unanswered"
    CANCELLED = "cancelled", "Cancelled"


class QuestionnaireRequestQuerySet(models.QuerySet["QuestionnaireRequest"]):
    def open(self) -> "QuestionnaireRequestQuerySet":
        return self.filter(status=RequestStatus.OPEN)

    def lapsed(self, now: dt.datetime) -> "QuestionnaireRequestQuerySet":
        """Open, and past its time: to be marked expired by the sweep."""
        return self.open().filter(expires_at__lte=now)


class QuestionnaireRequest(models.Model):
    Status = RequestStatus

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="questionnaire_requests"
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaire_requests",
    )
    series = models.ForeignKey(
        "scheduling.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    check_in_day = models.PositiveSmallIntegerField(null=True, blank=True)
    instruments = models.JSONField(default=list)  # codes, in answering order
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default="open")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    language = models.CharField(max_length=8, default="en")
    # {instrument: {linkId: value}}: every answer as it comes, until completed.
    draft = models.JSONField(default=dict, blank=True)
    answered = models.JSONField(default=list, blank=True)  # instruments completed
    alert = models.ForeignKey(
        "alerts.SafetyAlert", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.JSONField(default=list, blank=True)  # channels the link went out on
    opened_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionnaireRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Exactly once: one request per visit, one per check-in of a series.
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(appointment__isnull=False),
                name="request_once_per_visit",
            ),
            models.UniqueConstraint(
                fields=["series", "check_in_day"],
                condition=Q(check_in_day__isnull=False),
                name="request_once_per_check_in",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="request_status_expiry_idx"),
            models.Index(fields=["patient", "-created_at"], name="request_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"Questionnaire request #{self.pk}"

    @property
    def is_check_in(self) -> bool:
        return self.check_in_day is not None

    def usable(self, now: dt.datetime | None = None) -> bool:
        return self.status == RequestStatus.OPEN and self.expires_at > (now or timezone.now())

    @property
    def to_answer(self) -> list[str]:
        """The questionnaires still to answer (the diary is kept elsewhere)."""
        return [code for code in self.instruments if code not in self.answered]


# The clinic's outcome settings (chart.py, booster.py)


class OutcomeSettings(models.Model):
    organization = models.OneToOneField(
        "clinics.Organization", on_delete=models.CASCADE, related_name="outcome_settings"
    )
    # Response: >= 50 % below baseline - CLINICAL.md §2 [R49][R50]
    response_percent = models.PositiveSmallIntegerField(
        "response: per cent below baseline",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # Remission: PHQ-9 < 5 - CLINICAL.md §2 [R49]
    remission_below = models.PositiveSmallIntegerField(
        "remission: PHQ-9 below",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
    )
    # Minimal clinically important change: 5 PHQ-9 points - CLINICAL.md §2 [R8]
    mcid_points = models.PositiveSmallIntegerField(
        "meaningful change: PHQ-9 points",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
    )
    # The booster rule has no published threshold (CLINICAL.md §11.2): the clinic's own.
    booster_rise_points = models.PositiveSmallIntegerField(
        "booster review: PHQ-9 rise from the lowest score",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
    )
    booster_back_to = models.PositiveSmallIntegerField(
        "booster review: or PHQ-9 back to",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
    )
    booster_in_a_row = models.PositiveSmallIntegerField(
        "booster review: measurements in a row",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    booster_due_days = models.PositiveSmallIntegerField(
        "booster review: due within (days)",
        default=7,
        validators=[MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = "outcome settings"
        verbose_name_plural = "outcome settings"

    def __str__(self) -> str:
        return f"Outcome settings of {self.organization}"

    @classmethod
    def for_organization(cls, organization_id: int) -> "OutcomeSettings":
        """The organisation's settings, or the defaults (unsaved) if none were saved."""
        found = cls.objects.filter(organization_id=organization_id).first()
        return found or cls(organization_id=organization_id)

    def thresholds(self, instrument: str) -> status.Thresholds:
        if instrument == "phq-9":
            return status.Thresholds(self.response_percent, self.remission_below, self.mcid_points)
        return status.Thresholds(self.response_percent)

    def booster_rule(self) -> status.BoosterRule:
        return status.BoosterRule(
            self.booster_rise_points, self.booster_back_to, self.booster_in_a_row
        )


class RuleSweep(models.Model):
    """When a rule's sweep (a cron command) last started, so the next run looks only at
    patients with questionnaires recorded since."""

    name = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


# A booster the patient may book (booster.py: the review; the portal: the booking)


class BoosterApprovalQuerySet(models.QuerySet["BoosterApproval"]):
    def open(self) -> "BoosterApprovalQuerySet":
        """Approvals not withdrawn and not used for a booking — or whose booking was
        cancelled: a cancelled booster gives the approval back, so the patient may book
        again without asking the prescriber twice. (To lock them, select_for_update
        with of=("self",): the booking's table is outer-joined.)"""
        unused = Q(appointment__isnull=True) | Q(appointment__status=Status.CANCELLED)
        return self.filter(unused, withdrawn_at__isnull=True)


class BoosterApproval(models.Model):
    """A prescriber's approval of one booster infusion for a patient, which the patient
    may book themselves in the portal where the location allows it. Used once: the
    booking fills `appointment` in the same transaction (and the database refuses a
    second booking for the same approval); if that booking is cancelled, the approval
    is open again and the next booking takes its place."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    objects = BoosterApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-id"]
        indexes = [models.Index(fields=["patient", "approved_at"], name="booster_approval_idx")]

    def __str__(self) -> str:
        return f"Booster approval #{self.pk}"
