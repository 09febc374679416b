"""The WSGI application, loaded once by gunicorn's master before it forks its workers
(`preload_app` in gunicorn.conf.py).

Django loads the URL map, and with it every view and the libraries the views import
(WeasyPrint, WebAuthn, the FHIR models, …), on a process's first request. Left to the
workers, every new worker's first request waits for that — 6 s on a busy 2-core
machine, more than gunicorn's 30 s `timeout` when five fresh workers do it at once
after a restart, so the master kills them mid-request and forks new, equally cold ones
(bench/load, docs/benchmarks.md "Load and faults"). Loaded here, the workers start
with it already in memory. Nothing here touches the database: no connection may be
opened before the fork.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dendrite.settings")
application = get_wsgi_application()


def load_views() -> None:
    """Import the URL map and every view it names, as the first request would."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the property imports the URLconf)


load_views()
