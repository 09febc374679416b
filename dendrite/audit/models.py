from typing import Any, NoReturn

from django.db import models


class AppendOnlyError(Exception):
    """The audit trail is append-only: entries are never changed or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def for_patient(self, patient_id: int | str) -> "AuditEventQuerySet":
        return self.filter(patient_id=str(patient_id))


class AuditEvent(models.Model):
    """One line of the append-only, hash-chained audit trail.

    Written sealed but unchained (no lock: concurrent writers never wait for each
    other); chained in batches afterwards, in commit order, by one chainer at a time
    (see log.py).

    The actor is copied as plain values rather than a foreign key, so that an
    entry never changes when a user is renamed or removed.
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Success"
        DENIED = "denied", "Denied"
        FAILURE = "failure", "Failure"

    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.CharField(max_length=64, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.JSONField(default=dict, blank=True)
    # The entry's own HMAC over its fields, set when it is written: an entry not yet
    # chained is still sealed against change.
    seal = models.CharField(max_length=64, blank=True)
    # Set once, by the chainer (log.chain_pending), shortly after the entry is committed:
    # its place in the chain (1, 2, 3, … without gaps) and its links. NULL until then.
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    # NULL, not "", until chained: the update trigger lets NULL become a value once.
    prev_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def chained_fields(self) -> dict[str, Any]:
        """The fields the hash covers, in a form that survives a database round trip."""
        return {
            "at": self.at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "actor_role": self.actor_role,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "patient_id": self.patient_id,
            "ip_address": self.ip_address,
            "user_agent": self.user_agent,
            "outcome": self.outcome,
            "detail": self.detail,
        }
