"""Who is asking, and how often: the client's address and counters every process shares.

`client_ip` is the one answer to "which address is this request from" (the audit
trail, sign-in lockouts, the inquiry limit, the scoring API, password resets).
Counters live in Django's default cache, which settings.py makes one every app
process shares: Redis when DENDRITE_REDIS_URL is set, else a table in the database.
The database cache counts with a read and a write, so requests that arrive at the
very same moment may each count once less; the overshoot is bounded by how many
arrive at once, never by how long a flood lasts.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind DENDRITE_PROXY_COUNT proxies, the one the outermost saw.

    Each trusted proxy appends the address it received from, so the client is that many
    entries from the right of X-Forwarded-For; what the client wrote further left is
    not trusted, and without proxies the header is ignored altogether.
    """
    proxies = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Window:
    """At most `limit` events per `seconds`, counted per key (an address, an account…).

    Windows are fixed and follow the clinic's clock (settings.TIME_ZONE), so a daily
    window starts at local midnight: "until tomorrow" means what a person thinks it does.
    """

    name: str
    limit: int
    seconds: int

    def _now(self) -> float:
        now = timezone.now()
        offset = timezone.localtime(now).utcoffset() or dt.timedelta()
        return now.timestamp() + offset.total_seconds()

    def cache_key(self, key: str, now: float | None = None) -> str:
        # Addresses and accounts are keyed, never kept: the cache holds an HMAC.
        digest = salted_hmac("dendrite.ratelimit", f"{self.name}:{key}", algorithm="sha256")
        index = int((self._now() if now is None else now) // self.seconds)
        return f"ratelimit:{self.name}:{digest.hexdigest()[:32]}:{index}"

    def retry_after(self) -> int:
        """Whole seconds until the current window ends."""
        return math.ceil(self.seconds - self._now() % self.seconds)

    def count(self, key: str) -> int:
        return int(cache.get(self.cache_key(key)) or 0)

    def is_full(self, key: str) -> bool:
        return self.count(key) >= self.limit

    def hit(self, key: str) -> int:
        """Count one event; return the count in the current window, this one included."""
        now = self._now()
        cache_key = self.cache_key(key, now)
        lifetime = math.ceil(self.seconds - now % self.seconds) + 1
        if cache.add(cache_key, 1, timeout=lifetime):
            return 1
        try:
            count = int(cache.incr(cache_key))
        except ValueError:  # expired between the two calls
            cache.set(cache_key, 1, timeout=lifetime)
            return 1
        cache.touch(cache_key, lifetime)  # the database cache's incr resets the expiry
        return count

    def allow(self, key: str) -> bool:
        """Count one event and say whether it is within the limit."""
        return self.hit(key) <= self.limit
