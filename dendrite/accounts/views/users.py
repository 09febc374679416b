"""User management for clinic admins, limited to the locations they run."""

import secrets

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent

from .. import mfa
from ..decorators import staff_required
from ..forms import QueuedPasswordResetForm, UserForm
from ..models import Role, User

admin_only = staff_required(roles=[Role.CLINIC_ADMIN])


def managed_users(manager: User) -> QuerySet[User]:
    return (
        User.objects.filter(locations__in=manager.location_ids)
        .distinct()
        .prefetch_related("locations")
        .order_by("last_name", "first_name", "username")
    )


def get_user_for(manager: User, pk: int) -> User:
    """The access helper for staff accounts: only those at the manager's locations."""
    user = managed_users(manager).filter(pk=pk).first()
    if user is None:
        record(
            "accounts.user.read",
            user=manager,
            object_type="accounts.user",
            object_id=pk,
            outcome=AuditEvent.Outcome.DENIED,
        )
        raise Http404
    return user


def send_welcome(request: HttpRequest, user: User) -> None:
    """A set-your-password link, through the same queued, retried path as resets."""
    form = QueuedPasswordResetForm({"email": user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="accounts/email/welcome_subject.txt",
            email_template_name="accounts/email/welcome.txt",
        )


@admin_only
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    users = managed_users(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query) | users.filter(last_name__icontains=query)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": query})


@admin_only
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None, manager=request.user)
    if form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            # A random password nobody knows; the welcome e-mail lets them choose theirs.
            user.set_password(secrets.token_urlsafe(32))
            user.save()
            form.save_m2m()
            record("accounts.user.create", user=request.user, obj=user, detail={"role": user.role})
            send_welcome(request, user)
        messages.success(request, f"{user} can now set a password from the e-mail we sent.")
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@admin_only
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_user_for(request.user, pk)
    form = UserForm(request.POST or None, instance=user, manager=request.user)
    if form.is_valid():
        with transaction.atomic():
            form.save()
            record(
                "accounts.user.change",
                user=request.user,
                obj=user,
                detail={"fields": sorted(form.changed_data)},
            )
        messages.success(request, f"The account of {user} was saved.")
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "subject": user})


@admin_only
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = get_user_for(request.user, pk)
    if user == request.user and action in {"deactivate", "reset_mfa"}:
        messages.error(request, "You cannot do that to your own account; ask another admin.")
        return redirect("accounts:user_list")
    with transaction.atomic():
        if action == "deactivate":
            user.is_active = False
            user.save(update_fields=["is_active"])
            note = f"{user} can no longer sign in."
        elif action == "activate":
            user.is_active = True
            user.save(update_fields=["is_active"])
            note = f"{user} can sign in again."
        elif action == "reset_mfa":
            mfa.reset_mfa(user)
            note = f"{user} will set up a new authenticator at the next sign-in."
        elif action == "unlock":
            axes_reset(username=user.username)
            note = f"{user} is unlocked and may try to sign in again."
        elif action == "send_password_link":
            send_welcome(request, user)
            note = f"A link to set a new password is on its way to {user}."
        else:
            raise Http404
        record(f"accounts.user.{action}", user=request.user, obj=user)
    messages.success(request, note)
    return redirect("accounts:user_list")
