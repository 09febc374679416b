"""Log lines as JSON with the request's id, and one line per request naming its route.

A request id comes from the proxy's X-Request-ID when it looks like one (letters,
digits, dashes; 8–64 characters), else a new one; it is sent back in the response so a
person reporting a problem can quote it. The request line names the URL *pattern*
("staff/patients/<int:pk>/"), never the path itself: paths carry ids and, in links sent
to patients, tokens. Query strings, bodies and user names are never logged.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
VALID_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
requests = logging.getLogger("dendrite.requests")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and the fields a
    caller passed in `extra` under "fields"."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if VALID_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            requests.info(
                "request",
                extra={
                    "fields": {
                        "method": request.method,
                        "route": match.route if match else "-",
                        "status": response.status_code,
                        "ms": round((time.monotonic() - started) * 1000, 1),
                    }
                },
            )
            response["X-Request-ID"] = rid
            return response
        finally:
            request_id.reset(token)
