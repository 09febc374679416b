"""Gunicorn for Dendrite's production profile (`make serve`; docs/operations.md).

Every value can be changed from the environment. The request log is ours
(dendrite/logs.py: one JSON line per request naming its route, never the path, which
may carry a token), so gunicorn's own access log is off.
"""

import multiprocessing
import os


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default).strip() or default


if _env("DENDRITE_DEBUG", "") not in ("", "0", "false", "no", "off"):
    raise SystemExit(
        "Refusing to serve with DENDRITE_DEBUG set: debug pages show settings and code. "
        "Use `make run` for the demo."
    )

wsgi_app = "dendrite.wsgi:application"
bind = _env("DENDRITE_BIND", "127.0.0.1:8000").split(",")
# Sync workers: Django's ORM is synchronous. 2 × cores + 1, at most 9 by default.
workers = int(_env("DENDRITE_WEB_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
timeout = int(_env("DENDRITE_WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (bounds any slow leak), staggered.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy in front may say which scheme the client used.
forwarded_allow_ips = _env("DENDRITE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None
errorlog = "-"
loglevel = _env("DENDRITE_LOG_LEVEL", "info").lower()
proc_name = "dendrite-web"
# Load the app once before forking: a broken setting stops the server at start, not at
# the first request.
preload_app = True
