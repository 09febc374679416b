"""The FHIR API's own records: the registered backend clients (SMART Backend Services,
CLINICAL.md §12.3), the access tokens issued to them (only a hash is kept) and the
one-time assertion ids (`jti`) already used, kept until the assertion would expire."""

from django.db import models

from .serializer import SUD_INSTRUMENTS

STAFF = "accounts.User"


class Client(models.Model):
    """A system that reads the API with its own key pair: a registry, a payer, a next EHR."""

    name = models.CharField(max_length=120, help_text="Shown in the audit trail.")
    client_id = models.CharField(
        "client ID",
        max_length=64,
        unique=True,
        help_text="What the client puts in its assertion's iss and sub.",
    )
    organization = models.ForeignKey(
        "clinics.Organization", on_delete=models.PROTECT, related_name="fhir_clients"
    )
    locations = models.ManyToManyField(
        "clinics.Location",
        related_name="fhir_clients",
        help_text="The locations whose patients it may read.",
    )
    jwks = models.JSONField(
        "public keys (JWKS)",
        help_text='The client\'s public key set, pasted as JSON: {"keys": [...]}.',
    )
    scopes = models.CharField(
        max_length=1000,
        help_text="Space-separated, such as system/Patient.rs system/Observation.rs.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "FHIR client"

    def __str__(self) -> str:
        return self.name


class UsedAssertion(models.Model):
    """A client assertion's `jti`, refused if it comes again before `expires_at`."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "jti"], name="fhir_assertion_once")
        ]

    def __str__(self) -> str:
        return f"Used assertion #{self.pk}"


class AccessToken(models.Model):
    """An issued bearer token: its SHA-256 only, its scopes, when it stops working."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(max_length=1000)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Access token #{self.pk}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class ExportJob(models.Model):
    """A bulk `$export` (CLINICAL.md §12.4): what a client asked for, and the NDJSON files
    written for it (in settings.FHIR_EXPORT_ROOT/<public_id>/), removed at `expires_at`."""

    Status = ExportStatus

    public_id = models.UUIDField(unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="exports")
    scopes = models.CharField(max_length=1000)
    level = models.CharField(max_length=8)  # system, patient, group
    group_location = models.ForeignKey(
        "clinics.Location", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    types = models.CharField(max_length=1000)
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.CharField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField()
    transaction_time = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    progress = models.CharField(max_length=90, blank=True)
    output = models.JSONField(default=list, blank=True)  # [{"type", "name", "count"}]

    def __str__(self) -> str:
        return f"Export #{self.pk}"


class Purpose(models.TextChoices):
    TREATMENT = "treatment", "Treatment"
    PAYMENT = "payment", "Payment"
    OPERATIONS = "operations", "Health care operations"
    RESEARCH = "research", "Research"
    OTHER = "other", "Other"


def all_sud_records() -> list[str]:
    """Every substance-use instrument: what a consent covers unless it says less."""
    return sorted(SUD_INSTRUMENTS)


class DisclosureConsent(models.Model):
    """A patient's written consent under 42 CFR Part 2 (CLINICAL.md §5.2, §12.6) to
    disclose their substance-use records to one recipient (by name; the API discloses
    only to a recipient that is a registered FHIR client), for a purpose, for a period.
    In force from `starts_on` (the day signed) to `ends_on` (inclusive) unless revoked."""

    Purpose = Purpose

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="disclosure_consents"
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="disclosure_consents",
        verbose_name="recipient's API client", null=True, blank=True,
        help_text="Only a recipient registered for the API receives records through it.",
    )  # fmt: skip
    recipient_name = models.CharField("recipient", max_length=200, blank=True)
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    purpose_text = models.CharField("purpose (if other)", max_length=200, blank=True)
    # What may be disclosed: the substance-use instruments (serializer.SUD_INSTRUMENTS)
    # whose answers and scores the patient agreed to; the API discloses no other.
    records = models.JSONField("what may be disclosed", default=all_sud_records)
    starts_on = models.DateField()
    ends_on = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoke_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "Part 2 disclosure consent"

    def __str__(self) -> str:
        return f"Part 2 consent #{self.pk}"

    @property
    def recipient(self) -> str:
        """The recipient as the patient named it, or the registered client's name."""
        if self.recipient_name:
            return self.recipient_name
        return self.client.name if self.client is not None else ""


class Disclosure(models.Model):
    """The accounting of disclosures (42 CFR 2.24): each time substance-use records of
    a patient left through the API, to whom, what, under which consent or exception."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="disclosures"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="disclosures")
    consent = models.ForeignKey(
        DisclosureConsent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    exception = models.CharField(max_length=200, blank=True)
    resource_types = models.CharField(max_length=200)
    count = models.PositiveIntegerField()
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Disclosure #{self.pk}"


class ExitExport(models.Model):
    """An organisation's exit archive (fhir/exit.py) made for a clinic admin: written to
    settings.FHIR_EXPORT_ROOT/exit/<public_id>.zip and removed at `expires_at`."""

    Status = ExportStatus

    public_id = models.UUIDField(unique=True)
    organization = models.ForeignKey(
        "clinics.Organization", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)  # counts only: rows, resources, files

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Exit export #{self.pk}"
