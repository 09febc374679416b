"""Appointments, the resources they hold, and what is sent about them.

An appointment holds three resources at once, each for its own stretch of time:

- the patient, for the whole visit (starts_at → ends_at);
- one staff member, for their part of it (starts_at → staff_ends_at);
- for infusions, one chair, for the infusion and the recovery (starts_at → ends_at).

None of the three may be in two overlapping appointments that still stand (anything
but cancelled or no-show). The rule lives in the database: exclusion constraints on
PostgreSQL, triggers on SQLite (see overlaps.py), with the booking actions checking
first so that people get a clear reason instead of an error.
"""

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dendrite.accounts.models import Role
from dendrite.clinics.models import Chair, Location
from dendrite.patients.models import Patient

STAFF = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    INFUSION = "infusion", "Infusion"
    FOLLOW_UP = "follow_up", "Follow-up"
    BOOSTER = "booster", "Booster infusion"


# What a new location is given; every number is the clinic's to change in the back office.
# The 40-minute infusion is the studied 0.5 mg/kg over 40 min (CLINICAL.md §3.3 [R97][R98]);
# the 60-minute recovery, 60-minute consultation and 30-minute follow-up are the clinic's
# own defaults (issue #6), not clinical thresholds.
DEFAULT_TYPES: dict[str, dict[str, Any]] = {
    Kind.CONSULTATION: {
        "name": "Consultation",
        "staff_role": Role.PRESCRIBER,
        "staff_minutes": 60,
        "chair_minutes": 0,
        "needs_treatment_consent": False,
    },
    Kind.INFUSION: {
        "name": "Infusion",
        "staff_role": Role.NURSE,
        "staff_minutes": 40,
        "chair_minutes": 40 + 60,
        "needs_treatment_consent": True,
    },
    Kind.FOLLOW_UP: {
        "name": "Follow-up",
        "staff_role": Role.PRESCRIBER,
        "staff_minutes": 30,
        "chair_minutes": 0,
        "needs_treatment_consent": False,
    },
    Kind.BOOSTER: {
        "name": "Booster infusion",
        "staff_role": Role.NURSE,
        "staff_minutes": 40,
        "chair_minutes": 40 + 60,
        "needs_treatment_consent": True,
    },
}

# Induction series as commonly practised: 6 infusions over about 3 weeks (CLINICAL.md
# §3.3 [R69b]). The 48-hour gap is the clinic's protocol (issue #6), configurable.
DEFAULT_SERIES = {"name": "Induction series", "infusions": 6, "min_gap_hours": 48, "span_days": 21}


class AppointmentTypeQuerySet(models.QuerySet["AppointmentType"]):
    def active(self) -> "AppointmentTypeQuerySet":
        return self.filter(is_active=True)


class AppointmentType(models.Model):
    """A kind of visit at one location and the resources it needs."""

    Kind = Kind

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="appointment_types"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=80)
    staff_role = models.CharField(
        max_length=16,
        choices=[(Role.NURSE, Role.NURSE.label), (Role.PRESCRIBER, Role.PRESCRIBER.label)],
        help_text="Who sees the patient.",
    )
    staff_minutes = models.PositiveSmallIntegerField(
        help_text="How long the staff member is with the patient."
    )
    chair_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="How long a chair is held (infusion and recovery); 0 for no chair."
    )
    needs_treatment_consent = models.BooleanField(
        default=False, help_text="Refuse booking until a signed treatment consent is on file."
    )
    preparation = models.TextField(
        blank=True, help_text="Preparation the patient is reminded of, in plain words."
    )
    is_active = models.BooleanField(default=True)

    objects = AppointmentTypeQuerySet.as_manager()

    class Meta:
        ordering = ["location", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["location", "kind"], name="type_unique_per_location"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="type_kind_known"),
            models.CheckConstraint(condition=Q(staff_minutes__gt=0), name="type_staff_time"),
            models.CheckConstraint(
                condition=Q(chair_minutes=0) | Q(chair_minutes__gte=models.F("staff_minutes")),
                name="type_chair_covers_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.location.name})"

    @property
    def needs_chair(self) -> bool:
        return self.chair_minutes > 0

    @property
    def is_infusion(self) -> bool:
        return self.kind in (Kind.INFUSION, Kind.BOOSTER)

    @property
    def visit_minutes(self) -> int:
        return max(self.staff_minutes, self.chair_minutes)

    @classmethod
    def create_defaults(cls, location: Location) -> list["AppointmentType"]:
        """The four standard types for a location that has none yet (idempotent)."""
        made = []
        for kind, values in DEFAULT_TYPES.items():
            made.append(cls.objects.get_or_create(location=location, kind=kind, defaults=values)[0])
        infusion = next(t for t in made if t.kind == Kind.INFUSION)
        SeriesProtocol.objects.get_or_create(
            location=location, appointment_type=infusion, defaults=DEFAULT_SERIES
        )
        return made


class SeriesProtocol(models.Model):
    """How a location books a series: how many infusions, how far apart, within how long."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="protocols")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="protocols"
    )
    name = models.CharField(max_length=80)
    infusions = models.PositiveSmallIntegerField()
    min_gap_hours = models.PositiveSmallIntegerField(
        help_text="At least this many hours from the start of one infusion to the next."
    )
    span_days = models.PositiveSmallIntegerField(
        help_text="The whole series, first to last infusion, within this many days."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["location", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="protocol_unique_name"),
            models.CheckConstraint(
                condition=Q(infusions__gte=1, infusions__lte=24), name="protocol_infusions_range"
            ),
            models.CheckConstraint(condition=Q(span_days__gte=1), name="protocol_span_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.location.name})"


class WorkingHours(models.Model):
    """When a staff member works at a location on a weekday, in its local time.

    Someone with no working hours at a location is taken to work its opening hours.
    """

    staff = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="working_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(
        choices=[(day, name) for day, name in enumerate(
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        )]
    )  # fmt: skip
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["staff", "location", "weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="work_end_after"),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="work_weekday_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class TimeOff(models.Model):
    """A stretch of time a staff member cannot be booked (leave, training, sickness)."""

    staff = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="time_off_end_after"
            ),
        ]

    def __str__(self) -> str:
        return f"Time off #{self.pk}"


class Series(models.Model):
    """An induction series booked in one action. Its rules are copied from the protocol
    at booking time, so a later change to the protocol does not move the goalposts."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="series")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    protocol = models.ForeignKey(SeriesProtocol, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80)
    infusions = models.PositiveSmallIntegerField()
    min_gap_hours = models.PositiveSmallIntegerField()
    span_days = models.PositiveSmallIntegerField()
    booked_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return f"Series #{self.pk}"


class Status(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    IN_CONSULTATION = "in_consult", _("In consultation")
    IN_CHAIR = "in_chair", _("In chair")
    RECOVERING = "recovering", _("Recovering")
    DONE = "done", _("Done")
    LEFT = "left", _("Left without being seen")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


# An appointment in one of these no longer holds its patient, staff member or chair.
RELEASED = (Status.CANCELLED, Status.NO_SHOW)


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def holding(self) -> "AppointmentQuerySet":
        """Appointments that still hold their resources."""
        return self.exclude(status__in=RELEASED)

    def overlapping(self, starts_at: dt.datetime, ends_at: dt.datetime) -> "AppointmentQuerySet":
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def upcoming(self) -> "AppointmentQuerySet":
        return self.holding().filter(starts_at__gte=timezone.now()).order_by("starts_at")


class Appointment(models.Model):
    Status = Status

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments"
    )
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    series_number = models.PositiveSmallIntegerField(null=True, blank=True)
    staff = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="appointments")
    chair = models.ForeignKey(
        Chair, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    staff_ends_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # The status before the last step of the day, while that step may still be undone
    # (DayRules.undo_minutes); empty once undone or for a booking, a move or a cancel.
    previous_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    late_cancel = models.BooleanField(default=False)
    # The appointment this one replaces (a missed infusion rebooked within the series).
    rebooks = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rebooked_as"
    )

    # Who booked it: a staff member, or the patient themselves in the portal (then no
    # staff member; the database holds exactly one of the two).
    booked_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    booked_online = models.BooleanField("booked by the patient online", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="appt_status_known"),
            models.CheckConstraint(
                condition=Q(staff_ends_at__gt=models.F("starts_at"))
                & Q(ends_at__gte=models.F("staff_ends_at")),
                name="appt_times_in_order",
            ),
            models.CheckConstraint(
                condition=Q(series__isnull=True, series_number__isnull=True)
                | Q(series__isnull=False, series_number__gte=1),
                name="appt_series_number",
            ),
            models.CheckConstraint(
                condition=Q(booked_by__isnull=False, booked_online=False)
                | Q(booked_by__isnull=True, booked_online=True),
                name="appt_one_booker",
            ),
        ]
        indexes = [
            models.Index(fields=["location", "starts_at"], name="appt_location_time_idx"),
            models.Index(fields=["staff", "starts_at"], name="appt_staff_time_idx"),
            models.Index(fields=["chair", "starts_at"], name="appt_chair_time_idx"),
            models.Index(fields=["patient", "starts_at"], name="appt_patient_time_idx"),
        ]

    def __str__(self) -> str:
        # Never the patient's name: str() ends up in logs and audit views.
        return f"Appointment #{self.pk}"

    @property
    def is_holding(self) -> bool:
        return self.status not in RELEASED

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(self.location.tz)


class DayRules(models.Model):
    """A location's rules for the day's statuses, set by its clinic admins: when the
    front desk may check a patient in, and for how long the last step may be undone.
    A location without a row uses the defaults (`for_location`)."""

    location = models.OneToOneField(Location, on_delete=models.CASCADE, related_name="day_rules")
    check_in_opens_minutes = models.PositiveSmallIntegerField(
        "check-in opens (minutes before the start)", default=60,
        help_text="How early a patient may be checked in, in minutes before the start time.",
    )  # fmt: skip
    check_in_closes_minutes = models.PositiveSmallIntegerField(
        "check-in closes (minutes after the start)", default=120,
        help_text="How late a patient may still be checked in, in minutes after the start time.",
    )  # fmt: skip
    undo_minutes = models.PositiveSmallIntegerField(
        "undo allowed for (minutes)", default=10,
        help_text="For how long after a status change the last step may be undone.",
    )  # fmt: skip

    class Meta:
        verbose_name = "day rules"
        verbose_name_plural = "day rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(check_in_opens_minutes__lte=24 * 60), name="dayrules_opens_range"
            ),
            models.CheckConstraint(
                condition=Q(check_in_closes_minutes__lte=24 * 60), name="dayrules_closes_range"
            ),
            models.CheckConstraint(
                condition=Q(undo_minutes__gte=1, undo_minutes__lte=120), name="dayrules_undo_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Day rules ({self.location.name})"

    @classmethod
    def for_location(cls, location_id: int) -> "DayRules":
        found = cls.objects.filter(location_id=location_id).first()
        return found or cls(location_id=location_id)

    def check_in_window(self, starts_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """From when to when a patient may be checked in for a visit starting then."""
        return (
            starts_at - dt.timedelta(minutes=self.check_in_opens_minutes),
            starts_at + dt.timedelta(minutes=self.check_in_closes_minutes),
        )

    def undo_until(self, appointment: "Appointment") -> dt.datetime | None:
        """Until when the appointment's last step may be undone (None: nothing to undo)."""
        if not appointment.previous_status:
            return None
        return appointment.status_changed_at + dt.timedelta(minutes=self.undo_minutes)


class OnlineBooking(models.Model):
    """What a location lets its patients book for themselves in the portal, set by its
    clinic admins; nothing until they turn it on. A location without a row uses the
    defaults (`for_location`): no online booking.

    Only visits that follow care already under way: a follow-up with a prescriber, and a
    booster infusion once a prescriber has approved it (outcomes.BoosterApproval). Either
    goes through the same booking gate as a booking made by staff."""

    location = models.OneToOneField(
        Location, on_delete=models.CASCADE, related_name="online_booking"
    )
    follow_ups = models.BooleanField(
        "patients may book follow-ups online", default=False,
        help_text="A patient of this location may book a follow-up in the patient portal.",
    )  # fmt: skip
    boosters = models.BooleanField(
        "patients may book approved boosters online", default=False,
        help_text="A patient may book a booster infusion in the patient portal once a "
        "prescriber has approved it; the booster is booked only if the patient may have "
        "ketamine on that day, as for any booking.",
    )  # fmt: skip
    weeks_ahead = models.PositiveSmallIntegerField(
        "weeks shown ahead", default=4,
        help_text="How many weeks of free times the patient is offered.",
    )  # fmt: skip
    notice_hours = models.PositiveSmallIntegerField(
        "least notice (hours)", default=24,
        help_text="Patients cannot book a time that starts sooner than this.",
    )  # fmt: skip

    class Meta:
        verbose_name = "online booking"
        verbose_name_plural = "online booking"
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks_ahead__gte=1, weeks_ahead__lte=26), name="onlinebooking_weeks"
            ),
            models.CheckConstraint(
                condition=Q(notice_hours__lte=24 * 14), name="onlinebooking_notice"
            ),
        ]

    def __str__(self) -> str:
        return f"Online booking ({self.location.name})"

    @classmethod
    def for_location(cls, location_id: int) -> "OnlineBooking":
        found = cls.objects.filter(location_id=location_id).first()
        return found or cls(location_id=location_id)

    def allows(self, kind: str) -> bool:
        return (kind == Kind.FOLLOW_UP and self.follow_ups) or (
            kind == Kind.BOOSTER and self.boosters
        )


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "Text message"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Not needed"


class Reminder(models.Model):
    """One reminder on one channel for one appointment, sent at most once.

    A worker claims it with a conditional UPDATE (pending → sending, with a lease);
    only the worker whose UPDATE changed the row sends it. See reminders.py.
    """

    Channel = Channel
    Status = ReminderStatus

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    hours_before = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What went wrong, in words without patient data (an exception class and a code).
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "channel", "hours_before"], name="reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="reminder_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReminderStatus.values), name="reminder_status_known"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_due_idx")]

    def __str__(self) -> str:
        return f"Reminder #{self.pk}"

    @property
    def idempotency_key(self) -> str:
        """The same key on every try, so a provider can drop a repeat after a crash."""
        return f"dendrite-reminder-{self.pk}"


class PatientMessage(models.Model):
    """One message to a patient on one channel (a booking confirmation with its .ics, a
    waitlist offer), sent at most once. See messaging.py.

    Stored in the transaction that caused it; its task carries only this row's id. A
    worker claims it with a conditional UPDATE and a lease, checks the consent again,
    sends it with its idempotency key, and erases the body and the attachments: after
    delivery only the subject (never personal data), the channel and the times remain.
    The address is not stored: it is read from the chart when the message goes, except
    for the notice to a former address that it was changed (`former_address`, erased
    with the body once sent).
    """

    Channel = Channel
    Status = ReminderStatus

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    subject = models.CharField(max_length=200)  # never personal data: it stays
    body = models.TextField(blank=True)
    # [file name, base64 content, MIME type] for each file (e-mail only).
    attachments = models.JSONField(default=list, blank=True)
    # Set only on the notice to an e-mail address or mobile number the patient no longer
    # has (messaging.tell_former_addresses); blank: the chart's address at send time.
    former_address = models.CharField(max_length=254, blank=True)
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What went wrong, in words without patient data (an exception class).
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="patientmessage_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReminderStatus.values), name="patientmessage_status_known"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="patientmessage_due_idx")]

    def __str__(self) -> str:
        return f"Message #{self.pk}"

    @property
    def idempotency_key(self) -> str:
        """The same key on every try: the SMS provider's key, the e-mail's Message-ID."""
        return f"dendrite-message-{self.key.hex}"


class FeedKind(models.TextChoices):
    LOCATION = "location", "Location"
    CHAIR = "chair", "Chair"
    STAFF = "staff", "Staff member"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """An iCalendar subscription. The URL carries a random token; only its digest is
    stored, so a database copy does not give the feeds away. Revoking is for good."""

    Kind = FeedKind

    kind = models.CharField(max_length=10, choices=FeedKind.choices)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    chair = models.ForeignKey(Chair, on_delete=models.CASCADE, null=True, blank=True)
    staff = models.ForeignKey(
        STAFF, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_digest = models.CharField(max_length=64, unique=True)
    # The token's last few characters, so people can tell their feeds apart.
    token_hint = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FeedKind.values), name="feed_kind_known"),
            models.CheckConstraint(
                condition=Q(kind=FeedKind.LOCATION, chair__isnull=True, staff__isnull=True)
                | Q(kind=FeedKind.CHAIR, chair__isnull=False, staff__isnull=True)
                | Q(kind=FeedKind.STAFF, chair__isnull=True, staff__isnull=False),
                name="feed_names_its_resource",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed #{self.pk}"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a slot"
    BOOKED = "booked", "Booked"
    REMOVED = "removed", "Removed"


class WaitlistEntry(models.Model):
    """A patient who would take an earlier slot of one type at one location."""

    Status = WaitlistStatus

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="waitlist")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.CASCADE)
    earliest = models.DateField(help_text="The first day the patient could come.")
    latest = models.DateField(help_text="The last day that would still help.")
    note = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    offered_starts_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    booked_as = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(latest__gte=models.F("earliest")), name="waitlist_window_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=WaitlistStatus.values), name="waitlist_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=WaitlistStatus.OFFERED) | Q(offered_starts_at__isnull=False),
                name="waitlist_offer_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["location", "appointment_type", "status", "created_at"],
                name="waitlist_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Waitlist entry #{self.pk}"
