"""The back office: django-otp protected, clinic admins only, every change audited.

Every list is narrowed to the admin's own locations (superusers see all): records with
a location by their ModelAdmin (clinics.admin.LocationScopedAdmin and the like), the
audit trail by `audit_scope` below, which knows the staff and the patients of a location.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from dendrite.accounts.models import User
from dendrite.audit.log import record
from dendrite.patients.models import Patient


class AuditedAdminMixin:
    """Write every add, change and delete made through the admin to the audit trail."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        record("admin.add", user=request.user, obj=obj)
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        record("admin.change", user=request.user, obj=obj)
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            record("admin.delete", user=request.user, obj=obj)
        return super().log_deletions(request, queryset)  # type: ignore[misc]


class DendriteAdminSite(OTPAdminSite):
    site_header = "Dendrite back office"
    site_title = "Dendrite back office"
    index_title = "Clinic settings"
    site_url = "/staff/"
    login_template = None

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        """Named after the clinic, like the staff workspace (templates/admin/base_site.html)."""
        context = super().each_context(request)
        name = settings.DENDRITE_SITE_NAME
        return {**context, "site_name": name, "site_header": f"{name} back office",
                "site_title": f"{name} back office"}  # fmt: skip

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_verified()
            and (user.is_superuser or getattr(user, "role", "") == "clinic_admin")
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # One sign-in for the whole product: password, then the second factor.
        if request.user.is_authenticated and request.user.is_verified():
            # Fully signed in but not a clinic admin: sending them round the sign-in
            # again would loop (/admin/ -> verify -> /admin/ ...); say no instead.
            raise PermissionDenied
        next_url = request.GET.get("next", reverse("admin:index"))
        target = "accounts:mfa" if request.user.is_authenticated else "accounts:login"
        return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")

    def audit_scope(self, user: User) -> Q:
        """The audit entries a clinic admin may read: those about a patient of their
        locations, and those about no patient by their locations' staff (sign-ins,
        settings). Entries about another location's patient are never among them."""
        locations = user.location_ids
        staff = User.objects.filter(locations__in=locations, is_superuser=False)
        patients = Patient.objects.filter(location__in=locations)
        patient_keys = patients.annotate(key=Cast("pk", CharField())).values("key")
        by_staff = Q(actor_id__in=staff.values("pk")) | Q(
            actor_id__isnull=True, actor_username__in=staff.values("username")
        )
        return Q(patient_id__in=patient_keys) | (Q(patient_id="") & by_staff)

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        audited = type(f"Audited{base.__name__}", (AuditedAdminMixin, base), {})
        super().register(model_or_iterable, audited, **options)
