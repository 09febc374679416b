"""Who is acting and from where, for the current request (set by the middleware)."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""


current: ContextVar[RequestContext] = ContextVar(
    "audit_request",
    default=RequestContext(),  # noqa: B039 (frozen, so sharing it is safe)
)
