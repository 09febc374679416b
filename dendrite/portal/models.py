"""The patient's own door: an account per patient, invitations, one-time sign-in codes,
portal sessions and passkeys.

A portal account is never a staff account: it has no row in accounts.User, and a
signed-in patient is known by a PortalSession whose id and secret sit in the browser's
Django session (auth.py), never through django.contrib.auth. Secrets (invitation tokens,
codes, session secrets) are stored only as hashes.
"""

import secrets as random

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from dendrite.patients.filetypes import EXTENSIONS
from dendrite.patients.models import Patient, documents_storage

STAFF = settings.AUTH_USER_MODEL


class PortalAccount(models.Model):
    """A patient's portal account: made by the first invitation, active once the patient
    has signed in with a code from it."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="portal_account")
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    # Too many wrong codes: no code is sent or accepted until then.
    locked_until = models.DateTimeField(null=True, blank=True)
    failed_codes = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Portal account {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.activated_at is not None

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class Invitation(models.Model):
    """A signed, single-use, expiring link to the portal, sent by a staff member."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    channels = models.JSONField(default=list)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    def usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class SignInCode(models.Model):
    """A one-time code sent to the patient; its hash only, a few minutes, a few tries."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="codes")
    # Set when the code finishes an invitation (the first sign-in).
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    channels = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "created_at"])]

    def __str__(self) -> str:
        return f"Sign-in code {self.pk}"


class PortalSessionQuerySet(models.QuerySet["PortalSession"]):
    def live(self) -> "PortalSessionQuerySet":
        return self.filter(ended_at__isnull=True)


class PortalSession(models.Model):
    """One signed-in browser. The browser holds the id and a secret; we keep its hash."""

    class How(models.TextChoices):
        CODE = "code", "One-time code"
        PASSKEY = "passkey", "Passkey"

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="sessions")
    secret_hash = models.CharField(max_length=64)
    how = models.CharField(max_length=8, choices=How.choices)
    device = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = PortalSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["account", "ended_at"])]

    def __str__(self) -> str:
        return f"Portal session {self.pk}"


class Passkey(models.Model):
    """A WebAuthn credential the patient registered (py_webauthn verifies it)."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="passkeys")
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(credential_id=""), name="passkey_has_an_id"),
        ]

    def __str__(self) -> str:
        return f"Passkey {self.pk}"


class Conversation(models.Model):
    """A patient's secure messages with the team of one location: one thread per patient
    per location. Staff see whether the patient's last message is answered (unread), who
    on the team has it, and when an answer is due (business hours, like the lead inbox)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="conversations")
    location = models.ForeignKey("clinics.Location", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        STAFF, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_message_at = models.DateTimeField(null=True, blank=True)
    # Set when the patient writes and staff have not answered yet; cleared by a reply.
    awaiting_reply_since = models.DateTimeField(null=True, blank=True)
    reply_due = models.DateTimeField(null=True, blank=True)
    unread_by_patient = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "location"], name="one_thread_per_place"),
        ]
        indexes = [models.Index(fields=["location", "awaiting_reply_since"])]

    def __str__(self) -> str:
        return f"Conversation {self.pk}"

    def overdue(self) -> bool:
        return self.reply_due is not None and self.reply_due < timezone.now()


def attachment_name(message: "Message", filename: str) -> str:
    # Never the uploaded name: it often holds the patient's name.
    token = random.token_hex(16)
    return f"messages/{token[:2]}/{token}.{EXTENSIONS[message.attachment_type]}"


class Message(models.Model):
    """One message in a conversation: from the patient (author empty) or a staff member."""

    MAX_LENGTH = 2000

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(max_length=MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    # A PDF, PNG or JPEG from the patient, under the chart documents' rules and storage.
    attachment = models.FileField(
        storage=documents_storage, upload_to=attachment_name, blank=True, max_length=200
    )
    attachment_type = models.CharField(max_length=40, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.pk}"

    @property
    def from_patient(self) -> bool:
        return self.author_id is None

    @property
    def attachment_kind(self) -> str:
        """The file's kind in words: "PDF document", "picture"."""
        if self.attachment_type == "application/pdf":
            return gettext("PDF document")
        return gettext("picture")

    @property
    def download_name(self) -> str:
        return f"attachment-{self.pk}.{EXTENSIONS.get(self.attachment_type, 'bin')}"
