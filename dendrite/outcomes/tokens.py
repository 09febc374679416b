"""The questionnaire link's token: a random nonce, signed with the site's secret and a salt
of its own, stored only as a SHA-256 hash. The signature turns away a forged or mangled
link before the database is asked; the hash finds the one request it opens; the request's
own expiry and status make it expiring and single-use. Never logged, never in a task."""

import datetime as dt
import hashlib
import secrets

from django.core import signing

SALT = "dendrite.outcomes.questionnaire-link"
# No link lives longer than this, whatever a request says (a check-in is open for days).
MAX_AGE = dt.timedelta(days=60)


class BadToken(Exception):
    """Changed, forged, or older than MAX_AGE."""


def new_token() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=SALT, compress=False)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check(token: str) -> str:
    """The token's hash, if its signature holds and it is not too old; BadToken otherwise."""
    try:
        signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as bad:  # SignatureExpired is one too
        raise BadToken from bad
    return hash_token(token)
