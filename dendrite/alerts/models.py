"""Safety alerts: a safety flag on any stored questionnaire result raises one.

An alert shows on every staff page of its location until a nurse or prescriber
acknowledges it and records what was done. If nobody does within the
clinic-configured time of opening hours, it escalates by e-mail.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from dendrite.clinics.models import Location


class Action(models.TextChoices):
    REACHED = "reached", "Reached the person"
    SAFETY_PLAN = "safety_plan", "Made or reviewed a safety plan"
    EMERGENCY = "emergency", "Called emergency services"
    UNREACHABLE = "unreachable", "Could not reach the person"
    OTHER = "other", "Something else (see note)"


class SafetyAlertQuerySet(models.QuerySet["SafetyAlert"]):
    def open(self) -> "SafetyAlertQuerySet":
        return self.filter(acknowledged_at__isnull=True)


class SafetyAlert(models.Model):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="safety_alerts")
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="safety_alerts"
    )
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="safety_alerts",
    )
    flags = models.JSONField(default=list)  # e.g. ["suicide-risk", "suicide-risk-high"]
    source = models.CharField(max_length=64, help_text="What raised it, e.g. screening:phq-9")
    raised_at = models.DateTimeField(auto_now_add=True, db_index=True)
    escalate_at = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices, blank=True)
    note = models.TextField(blank=True, max_length=2000)

    objects = SafetyAlertQuerySet.as_manager()

    class Meta:
        ordering = ["raised_at"]
        indexes = [
            models.Index(
                fields=["location", "raised_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="alert_open_by_location",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True)
                | (Q(acknowledged_by__isnull=False) & ~Q(action="")),
                name="alert_ack_has_who_and_what",
            ),
        ]

    def __str__(self) -> str:
        return f"Safety alert #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
