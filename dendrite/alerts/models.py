"""Safety alerts: a safety answer on a screening or a stored questionnaire raises one.

An alert's life:

1. **Raised** with its tier (instruments/safety.py) and the answers that raised it. One
   screening has one alert: answers that add risk update it (and reopen it if closed).
2. **Escalated** to the clinician on call (OnCallShift) by e-mail and text message:
   a high-risk alert at once, at any hour; lower tiers after the clinic-configured
   minutes of opening time. Escalation repeats every few minutes until a clinician
   acknowledges it. An escalation that finds nobody to send to is never counted as done:
   the alert is marked unrouted, shown to every staff member of the location, logged
   loudly, and tried again at the next round.
3. **Acknowledged** by a nurse or prescriber ("I am on it"): the repeats stop.
4. **Attempts** to reach the person are recorded; "could not reach" schedules the next
   try and never closes the alert.
5. **Closed** only with an outcome (reached and safe, emergency services called, …).

Every step is an AlertEvent, shown on the alert, the lead and the chart.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from dendrite.clinics.models import Location
from dendrite.instruments import safety


class Tier(models.TextChoices):
    HIGH = safety.HIGH, "High risk"
    MODERATE = safety.MODERATE, "Moderate risk"
    LOW = safety.LOW, "Low risk"


class Outcome(models.TextChoices):
    REACHED_SAFE = "reached_safe", "Reached the person: safe for now, with a safety plan"
    SEEN = "seen", "Seen in person by a clinician"
    REFERRED = "referred", "Referred to crisis services or a higher level of care"
    EMERGENCY = "emergency", "Emergency services called"
    OTHER = "other", "Something else (see note)"


class SafetyAlertQuerySet(models.QuerySet["SafetyAlert"]):
    def open(self) -> "SafetyAlertQuerySet":
        """Not yet closed with an outcome (acknowledged ones are still open)."""
        return self.filter(closed_at__isnull=True)

    def by_urgency(self) -> "SafetyAlertQuerySet":
        """High risk first, then unacknowledged, then oldest."""
        rank = models.Case(
            models.When(tier=Tier.HIGH, then=0),
            models.When(tier=Tier.MODERATE, then=1),
            default=2,
        )
        return self.order_by(
            rank, models.F("acknowledged_at").asc(nulls_first=True), "raised_at", "pk"
        )

    def due_for_escalation(self, now: dt.datetime) -> "SafetyAlertQuerySet":
        return self.open().filter(next_escalation_at__lte=now)


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
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.MODERATE)
    flags = models.JSONField(default=list)  # e.g. ["suicide-risk", "suicide-risk-high"]
    # What raised it, in words: [{"instrument", "number", "question", "answer", "tier"}].
    reasons = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=64, help_text="What raised it, e.g. screening:phq-9")
    raised_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the first escalation is (or was) due.
    escalate_at = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The next escalation round (or the reminder to try again after an unanswered call);
    # empty once acknowledged with no attempt pending, or closed.
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    escalation_round = models.PositiveIntegerField(default=0)
    # Set while the last escalation round found nobody to send to.
    unrouted_since = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    note = models.TextField(blank=True, max_length=2000)

    objects = SafetyAlertQuerySet.as_manager()

    class Meta:
        ordering = ["raised_at"]
        indexes = [
            models.Index(
                fields=["location", "raised_at"],
                condition=Q(closed_at__isnull=True),
                name="alert_open_by_location",
            ),
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(closed_at__isnull=True),
                name="alert_escalation_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="alert_ack_has_who",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | (Q(closed_by__isnull=False) & ~Q(outcome="") & Q(acknowledged_at__isnull=False)),
                name="alert_closed_has_who_and_outcome",
            ),
            models.CheckConstraint(condition=Q(tier__in=Tier.values), name="alert_tier_known"),
        ]

    def __str__(self) -> str:
        return f"Safety alert #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def is_high_risk(self) -> bool:
        return self.tier == Tier.HIGH


class AlertEvent(models.Model):
    """One step in an alert's life, for its timeline (and the lead's and the chart's)."""

    class Kind(models.TextChoices):
        RAISED = "raised", "Raised"
        RISK_ADDED = "risk_added", "New answers added risk"
        REOPENED = "reopened", "Reopened: new answers added risk"
        ESCALATED = "escalated", "Escalated"
        UNROUTED = "unrouted", "Nobody on call to escalate to"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ATTEMPT = "attempt", "Tried to reach the person; no answer"
        CLOSED = "closed", "Closed"

    alert = models.ForeignKey(SafetyAlert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True, max_length=2000)
    # e.g. {"round": 2, "sent_to": ["Dr Olivia Park (e-mail, text)"]}, {"outcome": "..."}
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["alert", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.alert})"


class Escalation(models.Model):
    """One escalation message to one clinician on one channel, sent exactly once: claimed
    with a lease (a dead worker's claim runs out and the sweep queues it again) and sent
    with an idempotency key (the e-mail's Message-ID, the SMS provider's key)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        SMS = "sms", "Text message"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"
        CANCELLED = "cancelled", "Not needed (acknowledged)"

    alert = models.ForeignKey(SafetyAlert, on_delete=models.CASCADE, related_name="escalations")
    round = models.PositiveIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "round", "recipient", "channel"], name="escalation_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_until"])]

    def __str__(self) -> str:
        return f"Escalation {self.pk} of {self.alert}"

    @property
    def idempotency_key(self) -> str:
        return f"dendrite-escalation-{self.pk}"


class OnCallShift(models.Model):
    """Who is on call for a location's safety alerts, from when to when (UTC, shown in the
    location's time). The backup is told from the second round on, with the clinic admins."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="on_call_shifts")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="on_call_shifts"
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backup_shifts",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["location", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"On call at {self.location}: {self.clinician}"


class WorkerHeartbeat(models.Model):
    """The task worker's last sign of life. The sweep asks for a beat every minute; the
    worker answers by running the heartbeat task. Kept here because the safety net is
    what depends on the worker most: a stale beat warns every staff page."""

    name = models.CharField(max_length=32, primary_key=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    beat_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Heartbeat {self.name}"
