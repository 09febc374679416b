"""Deploy check: production keys the audit chain with its own DENDRITE_AUDIT_KEY.

Without one, the key is derived from the secret key, which a demo keeps in var/ beside
its database: whoever copies the one has the other, and could rebuild the chain.
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

MIN_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def audit_key_is_separate(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    key = settings.AUDIT_KEY
    if len(key) >= MIN_KEY_LENGTH and key != settings.SECRET_KEY:
        return []
    return [
        Warning(
            "The audit trail is signed with a key derived from the secret key (or with a "
            "short one), so it is no stronger than wherever the secret key is kept.",
            hint=f"Set DENDRITE_AUDIT_KEY to {MIN_KEY_LENGTH}+ random characters, different "
            "from DENDRITE_SECRET_KEY, kept outside the database server and backed up.",
            id="audit.W001",
        )
    ]
