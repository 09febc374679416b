from typing import Any

from django.contrib.auth.backends import BaseBackend

from .models import Role

# What a clinic admin manages in the back office. Audit entries are view-only
# for everyone (the AuditEvent admin refuses every change). Left to superusers: the
# task queue, whose rows hold e-mail bodies with password links, and the second-factor
# devices, whose pages show TOTP secrets (admins reset a colleague's authenticator
# from the staff-accounts page instead).
CLINIC_ADMIN_APPS = frozenset({"clinics", "accounts", "axes", "audit", "scheduling", "outcomes"})


class ClinicAdminBackend(BaseBackend):
    """Clinic admins may manage back-office data without being superusers."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not (user_obj.is_active and getattr(user_obj, "role", None) == Role.CLINIC_ADMIN):
            return False
        return perm.split(".", 1)[0] in CLINIC_ADMIN_APPS

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return (
            user_obj.is_active
            and getattr(user_obj, "role", None) == Role.CLINIC_ADMIN
            and app_label in CLINIC_ADMIN_APPS
        )
