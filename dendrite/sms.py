"""Text messages behind a small interface; `settings.SMS_BACKEND` names the backend.

A backend subclasses `BaseSmsBackend`. `key` is the message's idempotency key: a message
sent again with the same key (after a worker crashed between the provider's "accepted"
and our "sent") must not reach the phone twice. A provider whose API takes such a key
gets it; for one whose API does not, the backend keeps the key itself, as the Twilio
backend does (dendrite/outbox/twilio.py, the production one).

A backend raises dendrite.queue.Undeliverable for a text no later try can deliver (the
number cannot take texts): the sender gives up at once and shows staff the reason.
Anything else it raises is tried again later by the sender (queue.retry_or_give_up).
Development prints texts (ConsoleBackend); tests and the demo write them to files.
"""

import json
import os
import re
import sys
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

SAFE_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class BaseSmsBackend(ABC):
    """The whole interface a provider implements."""

    @abstractmethod
    def send(self, to: str, body: str, *, key: str) -> None:
        """Send `body` to `to` (E.164), or raise. The same `key` is never sent twice."""


class ConsoleBackend(BaseSmsBackend):
    """Development: prints the message instead of sending it."""

    def send(self, to: str, body: str, *, key: str) -> None:
        sys.stdout.write(f"SMS to {to} (key {key}):\n{body}\n\n")
        sys.stdout.flush()


class FileBackend(BaseSmsBackend):
    """Tests and demos: one JSON file per key in SMS_FILE_PATH. A repeat of a key is a
    no-op, as with a provider that honours idempotency keys."""

    def send(self, to: str, body: str, *, key: str) -> None:
        if not SAFE_KEY.match(key):
            raise ValueError("An SMS key may hold only letters, digits, '.', '_' and '-'.")
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked into place: the file is whole or absent, and the
        # link fails if the key was sent before (O_EXCL semantics, atomically).
        with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False) as draft:
            json.dump({"to": to, "body": body, "key": key}, draft)
        try:
            os.link(draft.name, folder / f"{key}.json")
        except FileExistsError:
            pass
        finally:
            os.unlink(draft.name)


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
