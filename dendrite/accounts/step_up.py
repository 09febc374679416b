"""Step-up: the acting admin proves again, with their own second factor, that it is them.

Changes that could hand another person's account to someone else — its e-mail address,
its role, its authenticator, a password link — are made only by an admin who has just
entered a current code from their own authenticator app (or a recovery code). A
stolen or unattended session is then not enough to take over an account. A correct
code covers further such changes for `settings.STEP_UP_MINUTES` minutes, kept in the
session (so an admin adding five nurses is asked once, and signing out ends it).
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent

from . import mfa

SESSION_KEY = "dendrite_step_up_at"


class StepUp:
    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @property
    def fresh(self) -> bool:
        """Whether the admin entered a correct code within the last few minutes."""
        at = self.request.session.get(SESSION_KEY)
        if at is None:
            return False
        age = timezone.now().timestamp() - float(at)
        return 0 <= age < settings.STEP_UP_MINUTES * 60

    def confirm(self, code: str) -> bool:
        """Check the admin's own code (each code works once; failures slow further tries)."""
        user = self.request.user
        if mfa.verify_code(user, code) is None:  # type: ignore[arg-type]
            record("mfa.step_up_failed", user=user, obj=user, outcome=AuditEvent.Outcome.FAILURE)
            return False
        self.request.session[SESSION_KEY] = timezone.now().timestamp()
        record("mfa.step_up", user=user, obj=user)
        return True
