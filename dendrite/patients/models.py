"""The patient chart: who the patient is, whom to call, and what a prescriber must know.

Read and write it only through patients.access (role, location, audit) and
patients.actions (one transaction, one audit entry per write). str() of any of these
records never names the patient: it ends up in logs and admin messages.
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Lower

from dendrite.alerts.models import SafetyAlert
from dendrite.clinics.models import Location, Organization

from . import history_items, icd10
from .filetypes import EXTENSIONS
from .search import NameQuery, Query, name_key, prefix_range
from .us_states import STATES

STAFF = settings.AUTH_USER_MODEL


def validate_icd10(value: str) -> None:
    if not icd10.is_well_formed(value):
        raise ValidationError(
            "“%(value)s” is not an ICD-10-CM code. A code starts with a letter and two "
            "characters, then a dot and up to four more, such as F33.1 or F10.20.",
            params={"value": value},
        )


validate_postal_code = RegexValidator(
    r"^\d{5}(-\d{4})?$", "Please enter a ZIP code of five digits, or ZIP+4 such as 02116-1234."
)


class Sex(models.TextChoices):
    """Administrative sex, as insurers and laboratories ask for it."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Unknown"


class MrnCounter(models.Model):
    """The last medical record number issued by an organisation (see actions.allocate_mrn)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, primary_key=True, related_name="mrn_counter"
    )
    last_number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"MRN counter of organisation {self.organization_id}"


def _starts_with(queryset: models.QuerySet, field: str, prefix: str) -> Q:
    # SQLite's LIKE ignores case and so cannot use an ordinary index; a range on the
    # (already lower-case) key can. PostgreSQL's LIKE 'x%' uses the varchar_pattern_ops
    # index below, whatever the database's collation.
    if connections[queryset.db].vendor == "sqlite":
        low, high = prefix_range(prefix)
        return Q(**{f"{field}__gte": low, f"{field}__lt": high})
    return Q(**{f"{field}__startswith": prefix})


class PatientQuerySet(models.QuerySet["Patient"]):
    def with_alert_flag(self) -> "PatientQuerySet":
        """Annotate whether each patient has an open safety alert, in the same query."""
        open_alerts = SafetyAlert.objects.open().filter(patient=models.OuterRef("pk"))
        return self.annotate(open_alert_flag=models.Exists(open_alerts))

    def search(self, query: Query) -> "PatientQuerySet":
        """One indexed lookup for whatever was typed in the search box (see search.parse)."""
        if query.kind == "dob":
            return self.filter(date_of_birth=query.value)
        if query.kind == "phone":
            return self.filter(phone=query.value)
        if query.kind == "mrn":
            return self.filter(mrn=query.value)
        if query.kind == "name":
            return self.filter(self._name(query.value)) if query.value.whole else self.none()
        return self

    def _name(self, name: NameQuery) -> Q:
        found = _starts_with(self, "last_name_key", name.whole) | _starts_with(
            self, "first_name_key", name.whole
        )
        if name.first and name.last:
            found |= _starts_with(self, "first_name_key", name.first) & _starts_with(
                self, "last_name_key", name.last
            )
        return found


class Patient(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="patients", editable=False
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="patients", verbose_name="home location"
    )
    mrn = models.CharField("MRN", max_length=24, editable=False)

    first_name = models.CharField("legal first name", max_length=100)
    last_name = models.CharField("legal last name", max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    # Search keys (search.name_key), kept in step by save(). Bulk writes must set them.
    first_name_key = models.CharField(max_length=100, editable=False)
    last_name_key = models.CharField(max_length=100, editable=False)
    date_of_birth = models.DateField()
    sex = models.CharField(
        "administrative sex", max_length=8, choices=Sex.choices, default=Sex.UNKNOWN
    )
    pronouns = models.CharField(max_length=40, blank=True)

    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField(max_length=16, blank=True, help_text="Stored as E.164.")
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=STATES, blank=True)
    postal_code = models.CharField(
        "ZIP code", max_length=10, blank=True, validators=[validate_postal_code]
    )
    # The language of every message to the patient; blank: the one they screened in.
    preferred_language = models.CharField(
        max_length=8, blank=True, default="", choices=settings.LANGUAGES,
        help_text="Every message to the patient is in this language.",
    )  # fmt: skip

    # "No known allergies" is a statement someone made, not the absence of rows.
    no_known_allergies = models.BooleanField(default=False)
    no_known_allergies_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    no_known_allergies_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every demographics save; the form carries the version it was drawn
    # from, so a colleague's stale save is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set when an admin merged this chart into another (PatientMerge): a tombstone,
    # hidden from lists and search; its address leads to the surviving chart.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name_key", "first_name_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "mrn"], name="patient_mrn_unique_per_organization"
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="patient_sex_known"),
        ]
        indexes = [
            # Name search is by prefix of the last or the first name (search.py);
            # varchar_pattern_ops serves PostgreSQL's LIKE 'x%' (ignored on SQLite).
            models.Index(
                fields=["last_name_key", "first_name_key"],
                name="patient_name_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["first_name_key"],
                name="patient_first_name_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            # The unsearched list in name order (the pattern_ops index above cannot sort).
            models.Index(
                fields=["last_name_key", "first_name_key", "id"], name="patient_order_idx"
            ),
            models.Index(fields=["date_of_birth"], name="patient_dob_idx"),
            models.Index(fields=["mrn"], name="patient_mrn_idx"),
            models.Index(fields=["phone"], name="patient_phone_idx"),
            # Duplicate checks look e-mail addresses up without regard to case.
            models.Index(Lower("email"), name="patient_email_lower_idx"),
        ]

    def __str__(self) -> str:
        # The MRN, never the name: str() ends up in logs, admin messages and audit views.
        return self.mrn or f"patient #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Cut to the column: a few characters (ligatures) unfold into several.
        self.first_name_key = name_key(self.first_name)[:100]
        self.last_name_key = name_key(self.last_name)[:100]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "first_name_key", "last_name_key"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """“Preferred (Legal) Last” when a preferred name is given."""
        if self.preferred_name and self.preferred_name != self.first_name:
            return f"{self.preferred_name} ({self.first_name}) {self.last_name}"
        return f"{self.first_name} {self.last_name}"

    def message_language(self) -> str:
        """The language of messages to the patient: the one they chose, else the one of
        the lead they came from (their latest), else English."""
        codes = {code for code, _name in settings.LANGUAGES}
        if self.preferred_language in codes:
            return self.preferred_language
        leads = getattr(self, "leads", None)
        language = (
            leads.order_by("-created_at").values_list("language", flat=True).first()
            if leads is not None
            else None
        )
        return language if language in codes else "en"

    def consented_to(self, *kinds: str) -> set[str]:
        """Which of these consent kinds are in force: the latest event of each is "given"."""
        latest: dict[str, str] = {}
        events = self.consents.filter(kind__in=kinds).order_by("date", "id")
        for kind, status in events.values_list("kind", "status"):
            latest[kind] = status
        return {kind for kind, status in latest.items() if status == ConsentStatus.GIVEN}

    @property
    def has_open_safety_alert(self) -> bool:
        """Whether the patient is urgent — the one clinical fact front desk may see.

        Lists annotate it (PatientQuerySet.with_alert_flag) so they stay constant in
        queries; a single patient asks the database once.
        """
        flag = getattr(self, "open_alert_flag", None)
        if flag is not None:
            return bool(flag)
        return self.safety_alerts.open().exists()  # the alerts app says what "open" is


class ContactKind(models.TextChoices):
    EMERGENCY = "emergency", "Emergency contact"
    ESCORT = "escort", "Escort home (drives them home after an infusion)"


class Contact(models.Model):
    """Someone to call about the patient: in an emergency, or to drive them home."""

    Kind = ContactKind

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=60, blank=True)
    phone = models.CharField(max_length=16, help_text="Stored as E.164.")

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContactKind.values), name="contact_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ProviderKind(models.TextChoices):
    REFERRING = "referring", "Referring provider"
    PRIMARY_CARE = "primary_care", "Primary-care provider"


class Provider(models.Model):
    """The clinician who referred the patient, and the patient's primary-care provider."""

    Kind = ProviderKind

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="providers")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120)
    practice = models.CharField(max_length=160, blank=True)
    phone = models.CharField(max_length=16, blank=True, help_text="Stored as E.164.")
    fax = models.CharField(max_length=16, blank=True, help_text="Stored as E.164.")

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "kind"], name="provider_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=ProviderKind.values), name="provider_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Diagnosis(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diagnoses")
    code = models.CharField("ICD-10-CM code", max_length=8, validators=[validate_icd10])
    description = models.CharField(max_length=250)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "id"]
        verbose_name_plural = "diagnoses"

    def __str__(self) -> str:
        return f"Diagnosis #{self.pk}"


class Medication(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(max_length=120)
    dose = models.CharField(max_length=60, help_text="With its unit, such as 20 mg.")
    frequency = models.CharField(max_length=60, help_text="Such as once a day, at night.")
    started_on = models.DateField("start date", null=True, blank=True)
    active = models.BooleanField("still taking it", default=True)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-active", "name", "id"]

    def __str__(self) -> str:
        return f"Medication #{self.pk}"


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"
    UNKNOWN = "unknown", "Not known"


class Allergy(models.Model):
    Severity = Severity

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="allergies")
    substance = models.CharField(max_length=120)
    reaction = models.CharField(max_length=200, blank=True)
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.UNKNOWN)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["substance", "id"]
        verbose_name_plural = "allergies"
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values), name="allergy_severity_known"
            )
        ]

    def __str__(self) -> str:
        return f"Allergy #{self.pk}"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class HistoryAnswer(models.Model):
    """The answer to one item of the ketamine medical history (history_items.py)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="history_answers")
    item = models.CharField(max_length=40, choices=history_items.choices)
    answer = models.CharField(max_length=8, choices=Answer.choices)
    note = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "item"], name="history_one_answer_per_item"),
            models.CheckConstraint(
                condition=Q(answer__in=Answer.values), name="history_answer_known"
            ),
        ]

    def __str__(self) -> str:
        return f"History answer #{self.pk}"


class HistorySignOffQuerySet(models.QuerySet["HistorySignOff"]):
    def current(self) -> "HistorySignOffQuerySet":
        """Sign-offs that still count: not cleared, of today's list of history items, and
        made after every answer's last change (save_history clears a sign-off when it
        changes an answer; this also holds if an answer changed some other way)."""
        changed_since = HistoryAnswer.objects.filter(
            patient=models.OuterRef("patient"), updated_at__gt=models.OuterRef("signed_at")
        )
        return self.filter(cleared_at__isnull=True, items_version=history_items.VERSION).exclude(
            models.Exists(changed_since)
        )


class HistorySignOff(models.Model):
    """A prescriber's review of the medical history. Any later change to it clears this."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="history_sign_offs")
    signed_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    items_version = models.CharField(max_length=16)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = HistorySignOffQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(cleared_at__isnull=True),
                name="history_one_current_sign_off",
            )
        ]

    def __str__(self) -> str:
        return f"History sign-off #{self.pk}"


class OverriddenOutcome(models.TextChoices):
    """The self-screening triage outcomes a prescriber may override (leads.models.Outcome)."""

    NOT_SUITABLE_NOW = "not-suitable-now", "Not suitable for ketamine now"


class TriageOverride(models.Model):
    """A prescriber's decision, with a reason, that infusions may be booked although the
    self-screening's triage said otherwise. It covers the triage made before it only: a
    later screening with the same outcome needs a new decision (scheduling/gate.py)."""

    Outcome = OverriddenOutcome

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="triage_overrides")
    outcome = models.CharField(
        "outcome overridden", max_length=24, choices=OverriddenOutcome.choices
    )
    reason = models.TextField(max_length=2000)
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-created_at"], name="override_patient_newest_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=OverriddenOutcome.values), name="override_outcome_known"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Triage override #{self.pk}"


class ConsentKind(models.TextChoices):
    # The 42 CFR Part 2 consent (CLINICAL.md §5.2) has its own elements and comes later.
    TREATMENT = "treatment", "Treatment"
    TEXT_MESSAGES = "text_messages", "Text messages"
    EMAIL_MESSAGES = "email_messages", "E-mail messages"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Consent(models.Model):
    """One consent event: given or withdrawn. The latest of each kind is the one in force."""

    Kind = ConsentKind
    Status = ConsentStatus

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    date = models.DateField()
    # Where it was given when not in the clinic, in words ("Given on the web inquiry").
    source = models.CharField(max_length=80, blank=True, editable=False)
    # Empty only when the patient recorded it themselves (source says where: the portal).
    recorded_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConsentKind.values), name="consent_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ConsentStatus.values), name="consent_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Consent #{self.pk}"


class ResponseSource(models.TextChoices):
    SCREENING = "screening", "Self-screening"
    PORTAL = "portal", "Patient portal"
    CLINIC = "clinic", "In the clinic"
    PRE_VISIT = "pre_visit", "Before a visit (link)"
    CHECK_IN = "check_in", "Check-in tablet"


class QuestionnaireResponse(models.Model):
    """A completed, scored questionnaire (instruments/scoring.py), kept with the chart."""

    Source = ResponseSource

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    instrument = models.CharField(max_length=32)
    version = models.CharField(max_length=32)
    answers = models.JSONField()
    total = models.IntegerField(null=True, blank=True)  # None: no total (C-SSRS screener)
    band = models.CharField(max_length=40, blank=True)
    flags = models.JSONField(default=list, blank=True)
    authored_at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=Source.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-authored_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-authored_at"], name="response_patient_newest_idx")
        ]

    def __str__(self) -> str:
        return f"Questionnaire response #{self.pk}"


def documents_storage() -> Storage:
    """Outside the web root (settings.STORAGES["documents"]); served only by views.documents."""
    return storages["documents"]


def random_document_name(document: "Document", filename: str) -> str:
    # Never the uploaded name: it often holds the patient's name.
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}.{EXTENSIONS[document.content_type]}"


class DocumentKind(models.TextChoices):
    REFERRAL = "referral", "Referral letter"
    RECORDS = "records", "Records from another provider"
    LAB = "lab", "Laboratory result"
    ECG = "ecg", "ECG"
    CONSENT = "consent", "Signed consent form"
    IDENTITY = "identity", "ID or insurance card"
    OTHER = "other", "Other"


class Document(models.Model):
    Kind = DocumentKind

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=120)
    file = models.FileField(storage=documents_storage, upload_to=random_document_name)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=list(EXTENSIONS)), name="document_type_allowed"
            )
        ]

    def __str__(self) -> str:
        return f"Document #{self.pk}"

    @property
    def download_name(self) -> str:
        """A neutral file name for the browser: never the patient's name."""
        return f"document-{self.pk}.{EXTENSIONS[self.content_type]}"


class DuplicateOverride(models.Model):
    """Staff made a new chart although likely duplicates were shown, and said why."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    candidates = models.JSONField(default=list)  # the ids of the charts shown
    # The form's one-time token: a second click of "Create a new chart anyway" finds the
    # chart the first one made instead of making another (the constraint decides).
    token = models.CharField(max_length=40, unique=True, null=True, blank=True)
    reason = models.TextField(max_length=2000)
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="duplicate_override_has_reason")
        ]

    def __str__(self) -> str:
        return f"Duplicate override #{self.pk}"


class PatientMerge(models.Model):
    """An admin's merge of one chart (`merged`, now a tombstone) into another (`survivor`).

    `moved` says exactly which rows were moved ({"app.model.field": [pks]}), `kept` the
    rows that could not move (locked by the database, or a second of what the survivor
    may have only one of: they stay with the tombstone), `previous` the survivor's
    demographics before and `chosen` after, so that undo puts back exactly that.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    kept = models.JSONField(default=dict)
    previous = models.JSONField(default=dict)
    chosen = models.JSONField(default=dict)
    merged_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()
    undone_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merged"], condition=Q(undone_at__isnull=True),
                name="patient_merged_once",
            ),
            models.CheckConstraint(
                condition=~Q(survivor=models.F("merged")), name="patient_merge_two_charts"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"Patient merge #{self.pk}"
