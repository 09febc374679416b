"""A lead: someone who reached out — by the inquiry form or a self-screening.

Every inquiry and every screening (finished, or stopped after its contact step)
is a Lead, stored before anything else happens to it. The staff inbox (a later
issue) works from here. Contact details and answers are health data: read and
write them only through leads.access and leads.actions.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from dendrite.clinics.models import Location


class Source(models.TextChoices):
    INQUIRY = "inquiry", "Inquiry form"
    SCREENING = "screening", "Self-screening"


class Status(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    CONSULT_SCHEDULED = "consult_scheduled", "Consult scheduled"
    BECAME_PATIENT = "became_patient", "Became a patient"
    DECLINED = "declined", "Declined"
    REFERRED = "referred", "Referred elsewhere"
    UNREACHABLE = "unreachable", "Unreachable"


class Outcome(models.TextChoices):
    """Triage outcomes of a screening, highest priority first (screening/triage.py)."""

    URGENT_SAFETY = "urgent-safety", "Urgent — safety"
    HIGHER_LEVEL_OF_CARE = "higher-level-of-care", "Higher level of care first"
    NOT_SUITABLE_NOW = "not-suitable-now", "Not suitable for ketamine now"
    NEEDS_CLINICAL_REVIEW = "needs-clinical-review", "Needs clinical review"
    LIKELY_CANDIDATE = "likely-candidate", "Likely candidate — book a consultation"
    INCOMPLETE = "incomplete", "Screening not finished"


# What the front desk does next, by triage outcome: the outcome in words, never the answers.
NEXT_STEPS = {
    Outcome.URGENT_SAFETY: "Call back today and follow the clinic's safety protocol.",
    Outcome.HIGHER_LEVEL_OF_CARE: "A clinician calls back to talk about a higher level of care.",
    Outcome.NOT_SUITABLE_NOW: "A clinician calls back to explain and suggest other options.",
    Outcome.NEEDS_CLINICAL_REVIEW: "A nurse or prescriber reviews the answers before booking.",
    Outcome.LIKELY_CANDIDATE: "Book a consultation.",
    Outcome.INCOMPLETE: "Call to finish the screening together, or book a consultation.",
}


class Reason(models.TextChoices):
    """What the person is seeking help for."""

    DEPRESSION = "depression", "Depression"
    ANXIETY = "anxiety", "Anxiety"
    PTSD = "ptsd", "PTSD"
    ALCOHOL = "alcohol", "Alcohol"
    OTHER_SUBSTANCES = "other_substances", "Other substances"
    OTHER = "other", "Something else"


class HeardAbout(models.TextChoices):
    """How the person heard about the clinic (the inquiry form asks, in their language)."""

    CLINICIAN = "clinician", "Referred by a clinician"
    SEARCH = "search", "A web search"
    FRIEND = "friend", "A friend or family member"
    SOCIAL = "social", "Social media"
    NEWS = "news", "News or an article"
    OTHER = "other", "Somewhere else"


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """A stored choice in words; a value no longer offered still reads as words."""
    if value in choices.values:
        return str(choices(value).label)
    return value.replace("_", " ").replace("-", " ").capitalize()


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"


class ContactTime(models.TextChoices):
    ANY = "any", "Any time"
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    EVENING = "evening", "Evening"


class LinkReason(models.TextChoices):
    """Why a submission was filed with an earlier lead of the same person (leads/linking.py)."""

    EMAIL = "email", "Same e-mail address"
    PHONE = "phone", "Same phone number"
    BROWSER = "browser", "Sent from the browser that did the self-screening"
    STAFF = "staff", "Linked by staff"


class LeadQuerySet(models.QuerySet["Lead"]):
    def people(self) -> "LeadQuerySet":
        """One lead per person: the first lead, which later submissions are linked to."""
        return self.filter(linked_to__isnull=True)

    def inbox_order(self) -> "LeadQuerySet":
        """Urgent (safety) leads first, then the oldest waiting."""
        return self.order_by("-urgent", "created_at")

    def overdue(self, now: dt.datetime | None = None) -> "LeadQuerySet":
        """New leads past their location's first-response target."""
        return self.filter(status=Status.NEW, first_response_due__lt=now or timezone.now())


class Lead(models.Model):
    source = models.CharField(max_length=16, choices=Source.choices)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="leads")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NEW)
    urgent = models.BooleanField(default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_leads",
    )
    first_response_due = models.DateTimeField(null=True, blank=True, db_index=True)
    # Bumped by every staff change; a form carries the version it was drawn from, so a
    # second colleague's stale save is refused instead of overwriting the first.
    version = models.PositiveIntegerField(default=1)

    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +16175550142")
    preferred_contact_method = models.CharField(
        max_length=8, choices=ContactMethod.choices, blank=True
    )
    preferred_contact_time = models.CharField(
        max_length=12, choices=ContactTime.choices, blank=True
    )
    consent_to_contact = models.BooleanField(default=False)
    consent_to_texts = models.BooleanField(default=False)
    reasons = models.JSONField(default=list, blank=True)  # Reason values
    message = models.TextField(blank=True, max_length=4000)
    heard_about = models.CharField(max_length=120, blank=True)
    language = models.CharField(max_length=8, default="en")

    # Screening results, as a summary for the inbox. The answers themselves stay
    # with the screening that produced them.
    triage_outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    triage_rules = models.JSONField(default=list, blank=True)  # [{"rule", "text", "source"}]
    scores = models.JSONField(default=list, blank=True)  # [{"instrument", "total", "band", ...}]
    flags = models.JSONField(default=list, blank=True)  # safety flags, never dropped
    # What the screening collected, so converting to a patient retypes nothing:
    # {"sex", "questionnaires": {code: {"version", "answers"}}, "health", "treatment"}.
    answers = models.JSONField(default=dict, blank=True)
    # A later submission of the same person (same e-mail, phone or browser, or linked by
    # staff) points at the person's first lead; it keeps its own answers, flags and alert.
    linked_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="linked",
    )  # fmt: skip
    link_reason = models.CharField(max_length=8, choices=LinkReason.choices, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)
    # A ForeignKey: a person already a patient who reaches out again is linked to the
    # same chart (a duplicate found on conversion), and a merge moves leads too.
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        help_text="The chart this lead became or was linked to, once converted.",
    )

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "created_at"]
        indexes = [
            models.Index(fields=["location", "status", "-urgent", "created_at"]),
            models.Index(fields=["phone"], name="lead_phone_idx"),
            models.Index(Upper("email"), name="lead_email_upper_idx"),
            # The staff header's count of overdue leads on every page (LeadQuerySet.overdue):
            # the few new leads by their due time, not a scan of every lead of the network
            # (docs/benchmarks.md "Staff pages and dashboard at network size").
            # A person's later submissions, newest first (the inbox's latest screening
            # outcome per row): without it SQLite walked every lead by date for each row.
            models.Index(fields=["linked_to", "-created_at"], name="lead_linked_newest_idx"),
            models.Index(
                fields=["first_response_due"],
                name="lead_new_due_idx",
                condition=Q(status=Status.NEW, linked_to__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="lead_has_email_or_phone"
            ),
            models.CheckConstraint(
                condition=Q(urgent=True) | ~Q(triage_outcome=Outcome.URGENT_SAFETY),
                name="lead_safety_outcome_is_urgent",
            ),
        ]

    def __str__(self) -> str:
        # Never the person's name: str() ends up in logs and admin messages.
        return f"Lead #{self.pk} ({self.get_source_display()})"

    @property
    def person_id(self) -> int:
        """The id of the person's first lead (this one, unless it is linked)."""
        return self.linked_to_id or self.pk

    @property
    def outcome_label(self) -> str:
        """The self-screening's outcome in words: this lead's, or else (in the inbox, which
        annotates `linked_outcome`) that of the latest screening filed with it."""
        outcome = self.triage_outcome or getattr(self, "linked_outcome", None) or ""
        return choice_label(Outcome, outcome) if outcome else ""

    @property
    def heard_about_label(self) -> str:
        return choice_label(HeardAbout, self.heard_about) if self.heard_about else ""

    @property
    def reason_labels(self) -> list[str]:
        return [choice_label(Reason, reason) for reason in self.reasons or []]

    @property
    def next_step(self) -> str:
        """What the front desk does with a screening's outcome, in words (no answers)."""
        return NEXT_STEPS.get(self.triage_outcome, "")

    @property
    def is_overdue(self) -> bool:
        due = self.first_response_due
        return self.status == Status.NEW and due is not None and due < timezone.now()


class Channel(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    IN_PERSON = "in_person", "In person"


class ContactOutcome(models.TextChoices):
    REACHED = "reached", "Reached them"
    VOICEMAIL = "voicemail", "Left a voicemail"
    NO_ANSWER = "no_answer", "No answer"
    WRONG_NUMBER = "wrong_number", "Wrong number or address"
    SENT = "sent", "Message sent"


class LeadEvent(models.Model):
    """One line of a lead's history: a status change, a contact attempt, an assignment."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status change"
        CONTACT = "contact", "Contact attempt"
        ASSIGN = "assign", "Assignment"
        NOTE = "note", "Note"
        LINK = "link", "Linked"
        UNLINK = "unlink", "Unlinked"

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    outcome = models.CharField(max_length=16, choices=ContactOutcome.choices, blank=True)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on lead #{self.lead_id}"


class Weekday(models.TextChoices):
    MONDAY = "mon", "Monday"
    TUESDAY = "tue", "Tuesday"
    WEDNESDAY = "wed", "Wednesday"
    THURSDAY = "thu", "Thursday"
    FRIDAY = "fri", "Friday"
    SATURDAY = "sat", "Saturday"


class TimeOfDay(models.TextChoices):
    MORNING = "morning", "Morning (before noon)"
    AFTERNOON = "afternoon", "Afternoon (noon to 5 PM)"
    EVENING = "evening", "Evening (after 5 PM)"


class ContactBy(models.TextChoices):
    PHONE = "phone", "A phone call"
    TEXT = "text", "A text message"
    EMAIL = "email", "An e-mail"


class ConsultationRequest(models.Model):
    """A person asks for a consultation from their screening result: on their lead (not a
    new one), for the front desk to book in one click."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="consultation_requests")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    days = models.JSONField(default=list, blank=True)  # Weekday values; empty: any day
    times = models.JSONField(default=list, blank=True)  # TimeOfDay values; empty: any time
    contact_by = models.CharField(max_length=8, choices=ContactBy.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_by__in=ContactBy.values), name="consult_request_contact_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Consultation request #{self.pk} on lead #{self.lead_id}"

    def day_labels(self) -> list[str]:
        return [Weekday(day).label for day in self.days] or ["Any day"]

    def time_labels(self) -> list[str]:
        return [TimeOfDay(time).label for time in self.times] or ["Any time"]

    def first_day(self, after: dt.date) -> dt.date:
        """The first date from `after` on a preferred weekday (`after` if any day)."""
        wanted = {list(Weekday.values).index(day) for day in self.days}
        for offset in range(7):
            day = after + dt.timedelta(days=offset)
            if not wanted or day.weekday() in wanted:
                return day
        return after
