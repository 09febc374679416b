"""Recovery: the raw drinking days (from the patient's diary or a Timeline Followback
with staff), marker days, the personal diary link, the clinic's lapse and relapse
definition, and the signed safety and relapse-prevention plans.

One row per patient per day, whoever entered it. A day recorded with staff (Timeline
Followback, or a correction on the patient's behalf) was reviewed with a clinician and
wins over the diary: the patient's diary shows that day as recorded with the care team
and does not change it; staff may correct any day.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import metrics

STAFF = settings.AUTH_USER_MODEL
MAX_DRINKS = 60  # more in one day is a typing slip, not a drinking day


class Source(models.TextChoices):
    DIARY = "diary", "The patient's diary"
    TLFB = "tlfb", "Timeline Followback with staff"
    STAFF = "staff", "Entered by staff for the patient"


class DrinkingDay(models.Model):
    Source = Source

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="drinking_days"
    )
    day = models.DateField()
    drinks = models.DecimalField("standard drinks", max_digits=4, decimal_places=1)
    craving = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(max_length=1000, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    entered_by = models.ForeignKey(
        STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient", "day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="drinking_day_once"),
            models.CheckConstraint(
                condition=Q(drinks__gte=0) & Q(drinks__lte=MAX_DRINKS), name="drinking_day_drinks"
            ),
            models.CheckConstraint(
                condition=Q(craving__isnull=True) | Q(craving__lte=10),
                name="drinking_day_craving",
            ),
        ]

    def __str__(self) -> str:
        return f"Drinking day {self.day} of patient #{self.patient_id}"

    @property
    def with_staff(self) -> bool:
        return self.source != Source.DIARY


class MarkerDay(models.Model):
    """A day the patient remembers (a holiday, a birthday, an event), to help recall."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="marker_days"
    )
    day = models.DateField()
    text = models.CharField(max_length=120)

    class Meta:
        ordering = ["patient", "day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="marker_day_once"),
        ]

    def __str__(self) -> str:
        return f"Marker day {self.day} of patient #{self.patient_id}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DiaryLinkQuerySet(models.QuerySet["DiaryLink"]):
    def usable(self) -> "DiaryLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class DiaryLink(models.Model):
    """A patient's personal diary link. Only the token's hash is kept; the link itself
    is in the message sent to the patient and nowhere else."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="diary_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = DiaryLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Diary link #{self.pk} of patient #{self.patient_id}"


class TaskRole(models.TextChoices):
    NURSE = "nurse", "Nurse"
    PRESCRIBER = "prescriber", "Prescriber"


class RecoverySettings(models.Model):
    """How the clinic defines lapse and relapse (definitions vary between studies, so
    the clinic decides; the defaults are a starting point for the medical director)."""

    organization = models.OneToOneField(
        "clinics.Organization", on_delete=models.PROTECT, related_name="recovery_settings"
    )
    abstinent_days = models.PositiveSmallIntegerField(
        "abstinent days before a drinking day counts as a lapse",
        default=metrics.Definition.abstinent_days,
    )
    heavy_days = models.PositiveSmallIntegerField(
        "heavy drinking days that make a relapse", default=metrics.Definition.heavy_days
    )
    window_days = models.PositiveSmallIntegerField(
        "within this many days", default=metrics.Definition.window_days
    )
    task_role = models.CharField(
        "who reaches out when heavy drinking returns",
        max_length=16,
        choices=TaskRole.choices,
        default=TaskRole.NURSE,
    )
    task_due_days = models.PositiveSmallIntegerField("days to reach out", default=2)

    class Meta:
        verbose_name = "recovery settings"
        verbose_name_plural = "recovery settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(abstinent_days__gte=1) & Q(heavy_days__gte=1) & Q(window_days__gte=1),
                name="recovery_settings_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Recovery settings of {self.organization}"

    @property
    def definition(self) -> metrics.Definition:
        return metrics.Definition(
            abstinent_days=self.abstinent_days,
            heavy_days=self.heavy_days,
            window_days=self.window_days,
        )


class PlanKind(models.TextChoices):
    SAFETY = "safety", _("Safety plan")
    RELAPSE_PREVENTION = "relapse", _("Relapse-prevention plan")


class Plan(models.Model):
    """One signed version of a patient's plan. A change is a new version; old versions
    are kept. `content` maps each section's key (plans.py) to the clinician's text."""

    Kind = PlanKind

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="recovery_plans"
    )
    kind = models.CharField(max_length=8, choices=PlanKind.choices)
    version = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    signed_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind", "version"], name="plan_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} of patient #{self.patient_id}"
