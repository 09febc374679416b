"""Every e-mail Dendrite sends to staff or to an inquirer (reminders, other messages to
patients and safety escalations keep their own rows, in scheduling and alerts).

A message is stored first, in the transaction that caused it; its task carries only the
row's id. The worker claims the row with a lease, sends it with its Message-ID (the
idempotency key: every try of one message carries the same one), and then erases the
body and the addresses: after delivery only the subject and the times remain.
"""

import uuid

from django.db import models


class Email(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.CharField(max_length=200)  # never personal data: it stays
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    to = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sending", "sent", "failed"]),
                name="email_status_known",
            )
        ]

    def __str__(self) -> str:
        return f"E-mail {self.pk}"

    @property
    def idempotency_key(self) -> str:
        return f"dendrite-mail-{self.key.hex}"


class SmsAttempt(models.Model):
    """A text handed to a provider whose API takes no idempotency key (Twilio's does not),
    by the message's key: dendrite/outbox/twilio.py stores it, committed, before the
    request goes out, and adds the provider's id once the provider has accepted it.

    A row without that id is a try whose outcome is unknown (the worker died, or the
    answer was lost on the way back): the next try asks the provider whether the text
    went out before sending it again. No number and no text are kept here."""

    key = models.CharField(max_length=100, unique=True)
    started_at = models.DateTimeField()
    provider_id = models.CharField(max_length=64, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["accepted_at"])]

    def __str__(self) -> str:
        return f"Text {self.key}"
