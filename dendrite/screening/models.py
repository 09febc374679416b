"""A self-screening in progress or finished: the answers, scores and kept safety flags.

The Lead it feeds (created at step 1) is what staff work from; this record keeps
the answers behind it. The resume link carries a random token; only its SHA-256
is stored, so a copy of the database cannot be turned into working links.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dendrite.leads.models import Lead, Outcome

from .pages import State


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_expiry(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(days=settings.SCREENING_RESUME_DAYS)


class ScreeningSessionQuerySet(models.QuerySet["ScreeningSession"]):
    def by_token(self, token: str) -> "ScreeningSession | None":
        return self.select_related("lead__location").filter(token_hash=hash_token(token)).first()


class ScreeningSession(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    lead = models.OneToOneField(Lead, on_delete=models.PROTECT, related_name="screening")
    step = models.CharField(max_length=24, default="contact")  # where a resume lands
    answers = models.JSONField(default=dict)  # by step slug, as the scoring engine takes them
    results = models.JSONField(default=dict)  # scored questionnaires by instrument code
    flags = models.JSONField(default=dict)  # safety flags by instrument code, never dropped
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    fired = models.JSONField(default=list)  # the triage rules that fired
    rules_version = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScreeningSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | ~Q(outcome=""),
                name="screening_finished_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening #{self.pk}"

    @property
    def state(self) -> State:
        return State(answers=self.answers, results=self.results, flags=self.flags)

    @state.setter
    def state(self, state: State) -> None:
        self.answers = dict(state.answers)
        self.results = dict(state.results)
        self.flags = dict(state.flags)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def flagged(self) -> bool:
        """A safety flag was raised: every page from now on shows the crisis box."""
        return any(self.flags.values())
