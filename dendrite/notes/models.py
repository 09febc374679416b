"""Signed clinical notes: a note per visit (infusion, consultation, follow-up) written
from a clinic-edited template, signed with the author's own code and, where the kind
needs it, co-signed by a prescriber. A signed note is locked; corrections are addenda.

Sections are stored as JSON (a list of {"heading", "text"}) on the note and on each
template version, not as rows: a note is read and signed as one document, a section is
never queried on its own, and the database's lock (triggers.py) then compares a single
column to refuse any change to what was signed. A template version is never changed
either: editing a template writes the next version, and each note names the version it
came from.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from dendrite.clinics.models import Location, Organization
from dendrite.patients.models import Patient

STAFF = settings.AUTH_USER_MODEL


class NoteKind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation note"
    FOLLOW_UP = "follow_up", "Follow-up note"
    INFUSION = "infusion", "Infusion note"


# Kinds a prescriber must co-sign before the note counts as complete.
COSIGNED_KINDS = frozenset({NoteKind.INFUSION})


class Fill(models.TextChoices):
    """What the chart writes into a section of a new note (prefill.py)."""

    NONE = "", "Nothing: the template's own text"
    RISK = "risk", "The latest suicide risk screening and safety alerts"
    HISTORY = "history", "Medical history items answered “yes”"
    MEDICATIONS = "medications", "Current medications and allergies"


class NoteTemplate(models.Model):
    """One version of a clinic's template for a kind of note. Never changed once written:
    `sections` is a list of {"heading", "prompt", "text", "fill", "required"}."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="note_templates"
    )
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    version = models.PositiveSmallIntegerField()
    sections = models.JSONField()
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "version"], name="note_template_version_once"
            ),
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=Q(is_current=True),
                name="note_template_one_current",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoteKind.values), name="note_template_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} template v{self.version}"


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"
    COSIGNED = "cosigned", "Signed and co-signed"


class NoteQuerySet(models.QuerySet["Note"]):
    def listed(self) -> "NoteQuerySet":
        """What a list of notes shows, in one query: names and the number of addenda,
        newest first (a count's GROUP BY drops the model's own order: given again)."""
        listed = self.select_related("author", "signed_by", "cosigned_by").annotate(
            addenda_count=models.Count("addenda")
        )
        return listed if self.query.order_by else listed.order_by("-created_at", "-id")


class Note(models.Model):
    Kind = NoteKind
    Status = NoteStatus

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="notes")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notes",
    )
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    template = models.ForeignKey(
        NoteTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    # [{"heading", "prompt", "text", "required"}], in the template's order.
    sections = models.JSONField(default=list)
    # A record the note is built from (the infusion's), snapshot at signing:
    # {"blocks": [{"heading", "facts", "table", "chart"}]} (infusions/note.py).
    record = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    author = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoteKind.values), name="note_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=NoteStatus.values), name="note_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=NoteStatus.DRAFT)
                | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="note_signed_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status=NoteStatus.COSIGNED)
                | Q(cosigned_by__isnull=False, cosigned_at__isnull=False),
                name="note_cosigned_has_who_and_when",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-created_at"], name="note_patient_newest"),
        ]

    def __str__(self) -> str:
        return f"Note #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse to change a signed note (the database refuses too: triggers.py). Only
        its co-signature may be added, by naming just those fields."""
        if self.pk is not None and not self._state.adding:
            locked = Note.objects.filter(pk=self.pk).exclude(status=NoteStatus.DRAFT)
            fields = set(kwargs.get("update_fields") or ())
            if locked.exists() and not (fields and fields <= COSIGN_FIELDS):
                raise LockedNote(LOCKED)
        super().save(*args, **kwargs)

    @property
    def needs_cosign(self) -> bool:
        return self.kind in COSIGNED_KINDS

    @property
    def is_locked(self) -> bool:
        return self.status != NoteStatus.DRAFT

    @property
    def is_complete(self) -> bool:
        """Signed, and co-signed where the kind needs it."""
        if self.needs_cosign:
            return self.status == NoteStatus.COSIGNED
        return self.status != NoteStatus.DRAFT

    @property
    def status_label(self) -> str:
        if self.status == NoteStatus.SIGNED and self.needs_cosign:
            return "Awaiting co-signature"
        return str(NoteStatus(self.status).label)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_locked:
            raise LockedNote(LOCKED)
        return super().delete(*args, **kwargs)


COSIGN_FIELDS = frozenset({"status", "cosigned_by", "cosigned_at", "updated_at"})
LOCKED = "A signed note cannot be changed. Add an addendum instead."


class LockedNote(Exception):
    pass


class Addendum(models.Model):
    """A correction or addition to a signed note, shown beneath it. Only ever added."""

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.CharField(max_length=200)
    text = models.TextField(max_length=5000)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "addenda"
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="") & ~Q(text=""), name="addendum_has_reason_and_text"
            ),
        ]

    def __str__(self) -> str:
        return f"Addendum #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise LockedNote("An addendum cannot be changed once added.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise LockedNote("An addendum cannot be removed.")
