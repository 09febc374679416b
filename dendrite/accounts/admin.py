from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from dendrite.clinics.models import Location

from .models import User


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "is_active"]
    list_filter = ["role", "is_active", ("locations", admin.RelatedOnlyFieldListFilter)]
    filter_horizontal = ["locations"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email"]}),
        ("Work", {"fields": ["role", "locations", "mobile_phone", "is_active"]}),
        ("Superuser", {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2", "role", "locations"]}),
    ]

    # A clinic admin manages the staff of their own locations and nobody else:
    # never a superuser, never a password (they send a password link instead).

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        mine = queryset.filter(locations__in=request.user.location_ids, is_superuser=False)
        return queryset.filter(pk__in=mine.values("pk"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return readonly

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "locations" and not request.user.is_superuser:
            kwargs["queryset"] = Location.objects.filter(pk__in=request.user.location_ids)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New staff come through the staff-accounts page, which e-mails a password link.
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Clinic admins change accounts on the staff-accounts page, which keeps them to
        # accounts below their own rights, asks for their code and a second admin for
        # clinical roles; here they may only look.
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


# The sign-in records (django-axes): read-only for everyone, nothing deleted from the
# back office (unlocking is the staff-accounts page's Unlock, a password reset, or
# `manage.py unlock_user`). A clinic admin sees the records of their own locations'
# staff; attempts on usernames that are nobody's, superusers only.


def staff_usernames(manager: User) -> QuerySet[User]:
    staff = User.objects.filter(locations__in=manager.location_ids, is_superuser=False)
    return staff.values("username")


class SignInRecordAdmin(admin.ModelAdmin):
    actions: list[str] = []

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(username__in=staff_usernames(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessAttempt)
class SignInAttemptAdmin(SignInRecordAdmin, AccessAttemptAdmin):
    pass  # without axes' "clean up" action, which deletes


@admin.register(AccessLog)
class SignInLogAdmin(SignInRecordAdmin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class SignInFailureLogAdmin(SignInRecordAdmin, AccessFailureLogAdmin):
    pass
