"""Checks of the text-message backend (settings.SMS_BACKEND, dendrite/sms.py).

Deploy: a production server whose texts go to the console or to files reaches no phone
(outbox.W001). Always: the Twilio backend needs its account, secret and sender
(outbox.E001), and an answer awaited for less than a lease on a message (outbox.W002).
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

NOT_SENT = {"dendrite.sms.ConsoleBackend", "dendrite.sms.FileBackend"}
TWILIO = "dendrite.outbox.twilio.TwilioBackend"


@register(deploy=True)
def texts_reach_phones(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or settings.SMS_BACKEND not in NOT_SENT:
        return []
    return [
        Warning(
            "Text messages are written to the console or to files: no patient or "
            "clinician receives one.",
            hint=f"Set DENDRITE_SMS_BACKEND to {TWILIO} and the DENDRITE_TWILIO_* variables "
            "(docs/operations.md, 'Text messages').",
            id="outbox.W001",
        )
    ]


@register(Tags.compatibility)
def twilio_is_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.SMS_BACKEND != TWILIO:
        return []
    missing = [
        name
        for name, value in [
            ("DENDRITE_TWILIO_ACCOUNT_SID", settings.TWILIO_ACCOUNT_SID),
            ("DENDRITE_TWILIO_API_SECRET", settings.TWILIO_API_SECRET),
            ("DENDRITE_TWILIO_SENDER", settings.TWILIO_SENDER),
        ]
        if not value
    ]
    problems: list[CheckMessage] = []
    if missing:
        problems.append(
            Error(
                "Texts are to go through Twilio, but its settings are incomplete.",
                hint="Set " + ", ".join(missing) + " (docs/operations.md, 'Text messages').",
                id="outbox.E001",
            )
        )
    leases = [
        settings.INFUSION_ALERT_LEASE_SECONDS,
        settings.SAFETY_ALERT_LEASE_SECONDS,
        settings.SCHEDULING_REMINDER_LEASE_SECONDS,
    ]
    # A send asks Twilio at most twice (the lookup of a lost try, then the text).
    if min(leases) <= 3 * settings.SMS_TIMEOUT_SECONDS:
        problems.append(
            Warning(
                "A text-message provider's answer may take longer than a worker holds "
                "the message, so a second worker could send it too.",
                hint="Keep DENDRITE_SMS_TIMEOUT under a third of the shortest lease "
                "(DENDRITE_INFUSION_ALERT_LEASE, DENDRITE_SAFETY_ALERT_LEASE, "
                "DENDRITE_SCHEDULING_REMINDER_LEASE).",
                id="outbox.W002",
            )
        )
    return problems
