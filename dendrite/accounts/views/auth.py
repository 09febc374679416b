"""Signing in: password (with lockout), then the second factor, then the workspace."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent

from .. import actions, lockout, mfa
from ..decorators import staff_required
from ..forms import LoginForm, QueuedPasswordResetForm, TokenForm

BAD_CODE = (
    "That code did not work. Codes change every 30 seconds and each one works only once, "
    "so please enter the newest code from your app."
)


def next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class ClinicNamed:
    """Django's sign-in views name the site after the request's host ("127.0.0.1:8000");
    ours are named after the clinic, on the page and in the e-mails they send."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        return {**context, "site_name": settings.DENDRITE_SITE_NAME}

    @property
    def extra_email_context(self) -> dict[str, Any]:
        return {"site_name": settings.DENDRITE_SITE_NAME}


class Login(ClinicNamed, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm


class Logout(ClinicNamed, auth_views.LogoutView):
    pass


class PasswordReset(ClinicNamed, auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


login = Login.as_view()
logout = Logout.as_view()


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_verified():
        return redirect(next_url(request))
    if mfa.confirmed_totp(user) is None:
        return redirect(f"{resolve_url('accounts:enrol')}?{urlencode({'next': next_url(request)})}")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = mfa.verify_code(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once fully signed in
            used_recovery = isinstance(device, StaticDevice)
            record(
                "mfa.recovery_code_used" if used_recovery else "mfa.verified", user=user, obj=user
            )
            return redirect(next_url(request))
        record("mfa.failed", user=user, obj=user, outcome=AuditEvent.Outcome.FAILURE)
        form.add_error("token", BAD_CODE)
    return render(request, "accounts/verify.html", {"form": form, "next": next_url(request)})


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if mfa.confirmed_totp(user) is not None:
        return redirect("accounts:mfa")
    device = mfa.pending_totp(user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = actions.confirm_authenticator(device)
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once fully signed in
            request.session["recovery_codes"] = codes
            codes_url = resolve_url("accounts:recovery_codes")
            return redirect(f"{codes_url}?{urlencode({'next': next_url(request)})}")
        record("mfa.enrol_failed", user=user, obj=user, outcome=AuditEvent.Outcome.FAILURE)
        form.add_error("token", BAD_CODE)
    context = {
        "form": form,
        "qr": mfa.qr_svg(device),
        "secret": mfa.base32_secret(device),
        "next": next_url(request),
    }
    return render(request, "accounts/enrol.html", context)


@staff_required()
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.session["recovery_codes"] = actions.renew_recovery_codes(request.user)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop("recovery_codes", None)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url(request)}
    )


class PasswordResetConfirm(ClinicNamed, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        lockout.unlock_after_password_reset(self.request, self.user.get_username())
        record("auth.password_reset", user=self.user, obj=self.user)
        return response


password_reset = PasswordReset.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirm.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
