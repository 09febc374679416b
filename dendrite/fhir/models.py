"""The FHIR API's own records: the registered backend clients (SMART Backend Services,
CLINICAL.md §12.3), the access tokens issued to them (only a hash is kept) and the
one-time assertion ids (`jti`) already used, kept until the assertion would expire."""

from django.db import models

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
