from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from dendrite.clinics.models import Location


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", "Front desk"
    NURSE = "nurse", "Nurse"
    PRESCRIBER = "prescriber", "Prescriber"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


CLINICAL_ROLES = frozenset({Role.NURSE, Role.PRESCRIBER})


class StaffUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> "User":
        # The first account of a new installation runs the clinic.
        extra.setdefault("role", Role.CLINIC_ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A member of staff. Patients never log in with this model."""

    role = models.CharField(max_length=16, choices=Role.choices)
    locations = models.ManyToManyField(Location, related_name="staff", blank=True)

    # Where a clinician on call gets safety-alert text messages (E.164, e.g. +16175550142).
    mobile_phone = models.CharField(
        max_length=20,
        blank=True,
        help_text="Mobile number for safety-alert text messages while on call.",
    )

    objects = StaffUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_known"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def location_names(self) -> dict[int, str]:
        """The user's locations, id to name, in name order: read once with the ids (a
        location filter offers them without a query of its own)."""
        return dict(self.locations.values_list("id", "name"))

    @cached_property
    def location_ids(self) -> frozenset[int]:
        return frozenset(self.location_names)

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == Role.CLINIC_ADMIN

    @property
    def is_clinical(self) -> bool:
        return self.role in CLINICAL_ROLES

    def works_at(self, location_id: int | None) -> bool:
        return location_id is not None and location_id in self.location_ids

    def clinic_admins(self) -> "models.QuerySet[User]":
        """Who can grant this user access: the active clinic admins of their locations
        (themselves aside), by name (the staff 403 page names them)."""
        admins = User.objects.filter(
            role=Role.CLINIC_ADMIN, is_active=True, locations__in=self.location_ids
        )
        return admins.exclude(pk=self.pk).distinct().order_by("first_name", "last_name", "id")


class RoleRequestQuerySet(models.QuerySet["RoleRequest"]):
    def open(self) -> "RoleRequestQuerySet":
        return self.filter(decided_at__isnull=True)


class RoleRequest(models.Model):
    """A clinical role asked for by one clinic admin, in force only once another approves.

    Nurses and prescribers read charts, so no single clinic admin can hand out those
    roles (two-person rule); a superuser's change takes effect at once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_requests")
    role = models.CharField(max_length=16, choices=Role.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)

    objects = RoleRequestQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(decided_at__isnull=True),
                name="one_open_role_request_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="role_request_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.user}"
