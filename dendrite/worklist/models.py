"""Staff tasks: who does what, for which patient, by when.

A task is opened by a person or by a rule of a higher app (a booster review when
PHQ-9 rises again, a missed check-in, a renewed-treatment call after a relapse). It is
addressed to a role at the patient's location ("any prescriber at Boston") and may be
taken by one person. Rules open tasks with a `key`, so running a rule twice opens one
task. A task is closed as done or as not needed, always with a few words of why;
nothing is deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dendrite.accounts.models import Role

STAFF = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    BOOSTER_REVIEW = "booster-review", "Review for a booster"
    MISSED_CHECK_IN = "missed-check-in", "Missed check-in"
    RE_ENGAGE = "re-engage", "Renewed treatment: reach out"
    FOLLOW_UP = "other", "Follow-up"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_NEEDED = "not-needed", "Closed as not needed"


class StaffTaskQuerySet(models.QuerySet["StaffTask"]):
    def open(self) -> "StaffTaskQuerySet":
        return self.filter(status=Status.OPEN)

    def overdue(self) -> "StaffTaskQuerySet":
        return self.open().filter(due_on__lt=timezone.localdate())


class StaffTask(models.Model):
    Kind = Kind
    Status = Status

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("clinics.Location", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(max_length=4000, blank=True)
    role = models.CharField("for", max_length=16, choices=Role.choices)
    owner = models.ForeignKey(
        STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("due")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # Rules open their tasks with a key so that a rule run twice opens one task.
    key = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(max_length=2000, blank=True)

    objects = StaffTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "staff task"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["location", "status", "due_on"], name="task_location_due_idx"),
            models.Index(fields=["owner", "status"], name="task_owner_idx"),
            models.Index(fields=["patient", "status"], name="task_patient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.OPEN) | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="task_closed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.OPEN and self.due_on < timezone.localdate()
