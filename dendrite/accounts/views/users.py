"""Staff accounts, managed by clinic admins for the locations they run.

A clinic admin changes only accounts below their own rights (access.py); a change of
e-mail address, role, authenticator or password asks for their own current code
(step_up.py); clinical roles wait for a second admin (actions.py).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import actions
from ..access import (
    get_managed_user_for,
    get_role_request_for,
    managed_users,
    open_role_requests_for,
)
from ..decorators import staff_required
from ..forms import StepUpForm, UserForm
from ..models import Role, RoleRequest, User
from ..step_up import StepUp

admin_only = staff_required(roles=[Role.CLINIC_ADMIN])


def waiting_note(role_request: RoleRequest | None) -> str:
    if role_request is None:
        return ""
    return (
        f" The role {role_request.get_role_display()} takes effect once another clinic admin "
        "of their location approves it."
    )


@admin_only
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    users = managed_users(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query) | users.filter(last_name__icontains=query)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    waiting = open_role_requests_for(request.user)
    return render(
        request, "accounts/user_list.html", {"page": page, "q": query, "waiting": waiting}
    )


@admin_only
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None, manager=request.user)
    if form.is_valid():
        role_request = actions.create_user(
            form.instance, form.cleaned_data["locations"], by=request.user
        )
        note = f"{form.instance} can now set a password from the e-mail we sent."
        messages.success(request, note + waiting_note(role_request))
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@admin_only
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_managed_user_for(request.user, pk)
    form = UserForm(
        request.POST or None, instance=user, manager=request.user, step_up=StepUp(request)
    )
    if form.is_valid():
        role_request = actions.change_user(
            form.instance, form.cleaned_data["locations"], by=request.user
        )
        messages.success(request, f"The account of {user} was saved." + waiting_note(role_request))
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "subject": user})


@admin_only
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (the list's button leads here); POST switches the account off."""
    user = get_managed_user_for(request.user, pk)
    if request.method == "GET":
        context = {"subject": user, "what": "deactivate"}
        return render(request, "accounts/user_confirm.html", context)
    actions.switch_off_user(user, by=request.user)
    messages.success(request, f"{user} can no longer sign in.")
    return redirect("accounts:user_list")


@admin_only
@require_POST
def user_activate(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_managed_user_for(request.user, pk)
    actions.switch_on_user(user, by=request.user)
    messages.success(request, f"{user} can sign in again.")
    return redirect("accounts:user_list")


@admin_only
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_managed_user_for(request.user, pk)
    actions.unlock_user(user, by=request.user)
    messages.success(request, f"{user} is unlocked and may try to sign in again.")
    return redirect("accounts:user_list")


def confirm(request: HttpRequest, user: User, form: StepUpForm, what: str) -> HttpResponse:
    context = {"form": form, "subject": user, "what": what}
    return render(request, "accounts/user_confirm.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def user_reset_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_managed_user_for(request.user, pk)
    form = StepUpForm(request.POST or None, step_up=StepUp(request))
    if form.is_valid():
        actions.reset_authenticator(user, by=request.user)
        messages.success(request, f"{user} will set up a new authenticator at the next sign-in.")
        return redirect("accounts:user_list")
    return confirm(request, user, form, "reset_mfa")


@admin_only
@require_http_methods(["GET", "POST"])
def user_send_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_managed_user_for(request.user, pk)
    form = StepUpForm(request.POST or None, step_up=StepUp(request))
    if form.is_valid():
        actions.send_password_link(user, by=request.user)
        messages.success(request, f"A link to set a new password is on its way to {user}.")
        return redirect("accounts:user_list")
    return confirm(request, user, form, "send_password_link")


@admin_only
@require_http_methods(["GET", "POST"])
def role_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    role_request = get_role_request_for(request.user, pk)
    form = StepUpForm(request.POST or None, step_up=StepUp(request))
    if form.is_valid():
        try:
            actions.approve_role_request(role_request, by=request.user)
        except actions.Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("accounts:user_list")
        note = f"{role_request.user} is now a {role_request.get_role_display().lower()}."
        messages.success(request, note)
        return redirect("accounts:user_list")
    context = {"form": form, "subject": role_request.user, "role_request": role_request}
    return render(request, "accounts/user_confirm.html", context | {"what": "approve"})


@admin_only
@require_POST
def role_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    role_request = get_role_request_for(request.user, pk)
    actions.decline_role_request(role_request, by=request.user)
    note = f"The role {role_request.get_role_display()} for {role_request.user} was declined."
    messages.success(request, note)
    return redirect("accounts:user_list")
