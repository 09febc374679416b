"""The one thing the public site keeps of its own: which inquiry forms were already sent."""

import datetime as dt
import hashlib

from django.db import IntegrityError, models, transaction
from django.utils import timezone


class SentFormQuerySet(models.QuerySet["SentForm"]):
    def claim(self, token: str, keep_for: dt.timedelta) -> bool:
        """Record a form's token as used; False if it was used before.

        Runs inside the transaction that stores the inquiry, so the claim and the
        lead commit together, and the UNIQUE digest makes a replay lose even when
        two copies arrive at the same moment. Tokens older than `keep_for` are
        refused by their signature anyway, so their rows are pruned here.
        """
        self.filter(sent_at__lt=timezone.now() - keep_for).delete()
        digest = hashlib.sha256(token.encode()).hexdigest()
        try:
            with transaction.atomic():
                self.create(digest=digest)
        except IntegrityError:
            return False
        return True


class SentForm(models.Model):
    """A digest of the signed token of an inquiry form that was stored (or caught as spam)."""

    digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = SentFormQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Sent form {self.digest[:12]}"
