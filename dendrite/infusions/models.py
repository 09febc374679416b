"""The infusion record: the order, and one Infusion per infusion appointment with its
dose checks, events, vital signs, chairside alerts and adverse events.

- An **InfusionOrder** is written and signed by a prescriber (their own code, as for an
  admin's sensitive changes) for named appointments or a whole series. A change is a new
  version, signed again; the old one is then replaced and no longer in force.
- An **Infusion** is shaped like a FHIR MedicationAdministration (CLINICAL.md §12.1):
  medication, effective period (started_at → stopped_at), dose (mg) and rate (mL/h).
  Its `stage` is kept by the actions, so the day view reads it without further queries.
- Vital signs are **VitalSigns** sets of coded **Observation** rows (LOINC and UCUM,
  §10.1), only ever added: two nurses recording at once each add their own.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dendrite.clinics.models import Location
from dendrite.patients.models import Patient
from dendrite.scheduling.models import Appointment, Series

from . import dosing, vitals

STAFF = settings.AUTH_USER_MODEL
MG_PER_KG = {"max_digits": 4, "decimal_places": 2}
AMOUNT = {"max_digits": 7, "decimal_places": 2}


class OrderQuerySet(models.QuerySet["InfusionOrder"]):
    def in_force(self) -> "OrderQuerySet":
        return self.filter(status=OrderStatus.SIGNED)

    def for_appointment(self, appointment: Appointment) -> "OrderQuerySet":
        """Signed orders naming this appointment or its series, newest first."""
        names = Q(appointments=appointment)
        if appointment.series_id:
            names |= Q(series_id=appointment.series_id)
        return self.in_force().filter(names, patient_id=appointment.patient_id).distinct()


class OrderStatus(models.TextChoices):
    SIGNED = "signed", "Signed, in force"
    REPLACED = "replaced", "Replaced by a later version"


class InfusionOrder(models.Model):
    Status = OrderStatus

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="infusion_orders")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField(default=1)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appointments = models.ManyToManyField(Appointment, blank=True, related_name="+")
    mg_per_kg = models.DecimalField("dose (mg/kg)", **MG_PER_KG)
    titrate_to_mg_per_kg = models.DecimalField(
        "highest dose a visit may be titrated to (mg/kg)", null=True, blank=True, **MG_PER_KG
    )
    minutes = models.PositiveSmallIntegerField("infusion duration (minutes)")
    titration = models.TextField("titration from visit to visit", blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=OrderStatus.choices)
    signed_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(mg_per_kg__gt=0), name="order_dose_positive"),
            models.CheckConstraint(
                condition=Q(titrate_to_mg_per_kg__isnull=True)
                | Q(titrate_to_mg_per_kg__gte=models.F("mg_per_kg")),
                name="order_titration_above_dose",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Infusion order #{self.pk} v{self.version}"

    @property
    def highest_mg_per_kg(self) -> Any:
        return self.titrate_to_mg_per_kg or self.mg_per_kg


class Stage(models.TextChoices):
    CHECKED = "checked", "Checked"
    ON_HOLD = "on_hold", "On hold for a prescriber"
    NOT_GIVEN = "not_given", "Not given"
    PREPARED = "prepared", "Dose waiting for its double check"
    VERIFIED = "verified", "Verified"
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    RECOVERING = "recovering", "Recovering"
    # Discharge records the criteria met and the leaving at once, so the last stage is
    # "Discharged" (the stored value stays "ready", as on every record made so far).
    READY = "ready", "Discharged"


class IdentifierKind(models.TextChoices):
    NAME = "name", "Full name, said by the patient"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth, said by the patient"
    MRN = "mrn", "Medical record number on the wristband"
    PHOTO_ID = "photo_id", "Photo identification"


class Pregnancy(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Does not apply"
    NOT_PREGNANT = "not_pregnant", "Not pregnant (patient's statement or test)"
    POSSIBLE = "possible", "Possibly pregnant"
    PREGNANT = "pregnant", "Pregnant or breastfeeding"


class HoldDecision(models.TextChoices):
    PROCEED = "proceed", "Go ahead with the infusion"
    NOT_TODAY = "not_today", "Do not give the infusion today"


class StopReason(models.TextChoices):
    COMPLETED = "completed", "Infusion completed"
    VITALS = "vitals", "Vital signs"
    ADVERSE_EVENT = "adverse_event", "Adverse event"
    PATIENT_REQUEST = "patient_request", "The patient asked to stop"
    OTHER = "other", "Other reason"


class Infusion(models.Model):
    """One infusion visit, from the check at the chair to discharge."""

    Stage = Stage

    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="infusion"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="infusions")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(InfusionOrder, on_delete=models.PROTECT, related_name="infusions")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.CHECKED)
    mg_per_kg = models.DecimalField("this visit's dose (mg/kg)", **MG_PER_KG)
    minutes = models.PositiveSmallIntegerField("infusion duration (minutes)")

    # The check at the chair.
    checked_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()
    identifiers = models.JSONField(default=list)
    fasting_hours = models.DecimalField(
        "hours fasted", max_digits=4, decimal_places=1, null=True, blank=True
    )
    escort_name = models.CharField(max_length=120)
    escort_phone = models.CharField(max_length=16, help_text="Stored as E.164.")
    weight_kg = models.DecimalField("weight (kg)", max_digits=5, decimal_places=1)
    weight_entered = models.CharField(max_length=20, help_text="As entered, e.g. 154 lb.")
    pregnancy = models.CharField(max_length=16, choices=Pregnancy.choices)
    questionnaires_reviewed = models.BooleanField("today's questionnaires reviewed", default=False)
    hold_reason = models.CharField(max_length=200, blank=True)
    hold_decision = models.CharField(max_length=10, choices=HoldDecision.choices, blank=True)
    hold_decided_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hold_decided_at = models.DateTimeField(null=True, blank=True)
    hold_note = models.TextField(blank=True, max_length=1000)

    # The vial and dose. The vial is chosen from the controlled-substance log; its
    # concentration, lot and NDC are copied here. Records made before the log was joined
    # have no vial, only the plain fields typed at the time.
    vial = models.ForeignKey(
        "controlled.Vial", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concentration_mg_per_ml = models.DecimalField(
        "concentration (mg/mL)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    lot = models.CharField(max_length=40, blank=True)
    ndc = models.CharField("NDC", max_length=14, blank=True)
    dose_mg = models.DecimalField("dose (mg)", null=True, blank=True, **AMOUNT)
    drawn_ml = models.DecimalField("drawn from the vial (mL)", null=True, blank=True, **AMOUNT)
    total_ml = models.DecimalField("total volume (mL)", null=True, blank=True, **AMOUNT)
    rate_ml_per_h = models.DecimalField("pump rate (mL/h)", null=True, blank=True, **AMOUNT)
    verified_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    # The administration (MedicationAdministration.effectivePeriod, dosage).
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=16, choices=StopReason.choices, blank=True)
    stop_note = models.CharField(max_length=300, blank=True)
    infused_ml = models.DecimalField("infused (mL)", null=True, blank=True, **AMOUNT)
    given_mg = models.DecimalField("given (mg)", null=True, blank=True, **AMOUNT)
    next_vitals_due_at = models.DateTimeField(null=True, blank=True)

    # Discharge.
    discharge_score_system = models.CharField("discharge score used", max_length=8, blank=True)
    discharge_answers = models.JSONField(default=dict, blank=True)
    discharge_score = models.PositiveSmallIntegerField(null=True, blank=True)
    vitals_near_baseline = models.BooleanField(
        "vital signs back near baseline", null=True, blank=True
    )
    escort_present = models.BooleanField("escort present at discharge", default=False)
    discharged_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discharged_at = models.DateTimeField(null=True, blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-checked_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="infusion_stage_known"
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True, verified_by__isnull=True)
                | Q(verified_at__isnull=False, verified_by__isnull=False),
                name="infusion_verified_has_who",
            ),
            models.CheckConstraint(
                condition=Q(started_at__isnull=True) | Q(verified_at__isnull=False),
                name="infusion_started_only_verified",
            ),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True) | Q(started_at__isnull=False),
                name="infusion_stopped_after_start",
            ),
        ]
        indexes = [models.Index(fields=["location", "stage"], name="infusion_location_stage")]

    def __str__(self) -> str:
        return f"Infusion #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.stage in (Stage.RUNNING, Stage.PAUSED)

    @property
    def vitals_state(self) -> str:
        """Whether a set of vital signs is due or late now (vitals.py's timer)."""
        return vitals.timer_state(
            self.next_vitals_due_at, timezone.now(), settings.INFUSION_VITALS_GRACE_MINUTES
        )

    @property
    def weight_lb(self) -> Any:
        return dosing.to_lb(self.weight_kg)


class DoseCheckKind(models.TextChoices):
    PREPARE = "prepare", "Prepared"
    VERIFY = "verify", "Independent check"


class DoseCheck(models.Model):
    """One clinician's own calculation of the dose (only ever added). The second is made
    without seeing the first; the infusion is verified only when the two agree."""

    Kind = DoseCheckKind

    infusion = models.ForeignKey(Infusion, on_delete=models.PROTECT, related_name="dose_checks")
    kind = models.CharField(max_length=8, choices=DoseCheckKind.choices)
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    weight_kg = models.DecimalField("weight (kg)", max_digits=5, decimal_places=1)
    concentration_mg_per_ml = models.DecimalField(
        "concentration (mg/mL)", max_digits=6, decimal_places=2
    )
    mg_per_kg = models.DecimalField("dose (mg/kg)", **MG_PER_KG)
    dose_mg = models.DecimalField("dose (mg)", **AMOUNT)
    drawn_ml = models.DecimalField("drawn (mL)", **AMOUNT)
    rate_ml_per_h = models.DecimalField("pump rate (mL/h)", **AMOUNT)
    agreed = models.BooleanField("the two calculations agree", null=True, blank=True)
    differences = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Dose check #{self.pk}"


class EventKind(models.TextChoices):
    START = "start", "Started"
    PAUSE = "pause", "Paused"
    RESUME = "resume", "Resumed"
    STOP = "stop", "Stopped"


class InfusionEvent(models.Model):
    Kind = EventKind

    infusion = models.ForeignKey(Infusion, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=8, choices=EventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Infusion event #{self.pk}"


class Phase(models.TextChoices):
    BASELINE = "baseline", "Before the infusion"
    DURING = "during", "During the infusion"
    AFTER = "after", "After the infusion"


class VitalSigns(models.Model):
    """One set of vital signs (a FHIR vital-signs panel, LOINC 85353-1)."""

    Phase = Phase

    infusion = models.ForeignKey(Infusion, on_delete=models.PROTECT, related_name="vital_signs")
    phase = models.CharField(max_length=8, choices=Phase.choices)
    taken_at = models.DateTimeField()
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Optional CADSS total (CLINICAL.md §1.9, §10.6; its range 0–92 is unconfirmed).
    cadss = models.PositiveSmallIntegerField("CADSS score", null=True, blank=True)

    class Meta:
        ordering = ["taken_at", "id"]
        verbose_name_plural = "vital signs"
        indexes = [models.Index(fields=["infusion", "taken_at"], name="vitals_infusion_time")]

    def __str__(self) -> str:
        return f"Vital signs #{self.pk}"

    def value(self, key: str) -> Any:
        code = vitals.MEASURES[key].loinc
        for observation in self.observations.all():
            if observation.code == code:
                return observation.value
        return None


class Observation(models.Model):
    """One coded value: LOINC code, value, UCUM unit (CLINICAL.md §10.1)."""

    vital_signs = models.ForeignKey(
        VitalSigns, on_delete=models.PROTECT, related_name="observations"
    )
    code = models.CharField("LOINC code", max_length=10)
    value = models.DecimalField(max_digits=6, decimal_places=1)
    unit = models.CharField("UCUM unit", max_length=10)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["vital_signs", "code"], name="observation_once"),
        ]

    def __str__(self) -> str:
        return f"Observation #{self.pk}"


class ChairsideAlertQuerySet(models.QuerySet["ChairsideAlert"]):
    def open(self) -> "ChairsideAlertQuerySet":
        return self.filter(acknowledged_at__isnull=True)


class ChairsideAlert(models.Model):
    """A reading outside the clinic's limits: the prescribers on site are told at once
    (e-mail and text), again every few minutes until one acknowledges it with the action
    taken, and the clinic admins too from the third round (actions.tell_about_alert)."""

    infusion = models.ForeignKey(Infusion, on_delete=models.PROTECT, related_name="alerts")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    vital_signs = models.ForeignKey(VitalSigns, on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(default=list)
    raised_at = models.DateTimeField()
    # Rounds of messages sent so far, and when the next is due (empty once acknowledged).
    round = models.PositiveIntegerField(default=0)
    next_round_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(blank=True, max_length=1000)

    objects = ChairsideAlertQuerySet.as_manager()

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True)
                | (Q(acknowledged_by__isnull=False) & ~Q(action_taken="")),
                name="chairside_ack_has_who_and_action",
            ),
        ]
        indexes = [
            models.Index(
                fields=["location", "raised_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="chairside_open_by_location",
            ),
            models.Index(
                fields=["next_round_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="chairside_round_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Chairside alert #{self.pk}"


class ChairsideMessage(models.Model):
    """One message about a chairside alert to one person on one channel in one round,
    sent exactly once as the safety alerts' escalations are: claimed with a lease
    (dendrite.queue.claim; a dead worker's claim runs out and the sweep queues it again)
    and sent with its idempotency key (the SMS provider's key; an e-mail goes through
    the outbox, which sends it once with its own Message-ID)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        SMS = "sms", "Text message"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"
        CANCELLED = "cancelled", "Not needed (acknowledged)"

    alert = models.ForeignKey(ChairsideAlert, on_delete=models.PROTECT, related_name="messages")
    round = models.PositiveIntegerField()
    recipient = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
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
                fields=["alert", "round", "recipient", "channel"], name="chairside_message_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed", "cancelled"]),
                name="chairside_message_status_known",
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_until"], name="chairside_msg_claim")]

    def __str__(self) -> str:
        return f"Message {self.pk} about {self.alert}"

    @property
    def idempotency_key(self) -> str:
        return f"dendrite-chairside-{self.pk}"


class AdverseKind(models.TextChoices):
    # The common effects after IV ketamine (CLINICAL.md §3.3 [R67]; nausea [R100]).
    HEADACHE = "headache", "Headache"
    DIZZINESS = "dizziness", "Dizziness"
    DISSOCIATION = "dissociation", "Dissociation"
    RAISED_BP = "raised_bp", "Raised blood pressure"
    BLURRED_VISION = "blurred_vision", "Blurred vision"
    ANXIETY = "anxiety", "Anxiety"
    NAUSEA = "nausea", "Nausea or vomiting"
    OTHER = "other", "Other"


class AdverseSeverity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class AdverseOutcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    IMPROVING = "improving", "Improving"
    ONGOING = "ongoing", "Still present"
    TRANSFERRED = "transferred", "Sent to emergency care"


class AdverseEvent(models.Model):
    Kind = AdverseKind
    Severity = AdverseSeverity
    Outcome = AdverseOutcome

    infusion = models.ForeignKey(Infusion, on_delete=models.PROTECT, related_name="adverse_events")
    kind = models.CharField(max_length=16, choices=AdverseKind.choices)
    other = models.CharField("what happened (for other)", max_length=200, blank=True)
    severity = models.CharField(max_length=10, choices=AdverseSeverity.choices)
    action = models.CharField("action taken", max_length=300, blank=True)
    medicine_given = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=12, choices=AdverseOutcome.choices)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AdverseKind.OTHER) | ~Q(other=""), name="adverse_other_named"
            ),
        ]

    def __str__(self) -> str:
        return f"Adverse event #{self.pk}"
