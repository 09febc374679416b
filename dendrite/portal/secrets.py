"""The portal's secrets: invitation tokens, one-time codes and session secrets.

Each is random (the standard library's `secrets`), handed to the patient once and stored
only as a keyed hash (Django's salted HMAC with the site's secret), so a copy of the
database opens nothing. The invitation token is also signed with its own salt, so a
forged or mangled link is turned away before the database is asked."""

import datetime as dt
import hashlib
import secrets

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

INVITATION_SALT = "dendrite.portal.invitation"
CODE_SALT = "dendrite.portal.code"
SESSION_SALT = "dendrite.portal.session"
CODE_DIGITS = 6


class BadToken(Exception):
    """A changed, forged or too old invitation link."""


def new_invitation_token() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=INVITATION_SALT, compress=False)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_invitation(token: str, max_age: dt.timedelta) -> str:
    """The token's hash if its signature holds and it is younger than `max_age`."""
    try:
        signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.BadSignature as bad:  # SignatureExpired is one too
        raise BadToken from bad
    return hash_token(token)


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(account_id: int, code: str) -> str:
    return salted_hmac(CODE_SALT, f"{account_id}:{code}", algorithm="sha256").hexdigest()


def code_matches(account_id: int, code: str, stored: str) -> bool:
    return constant_time_compare(hash_code(account_id, code), stored)


def new_session_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_session_secret(secret: str) -> str:
    return salted_hmac(SESSION_SALT, secret, algorithm="sha256").hexdigest()
