"""Health answers for load balancers and monitoring, and the scheduled jobs' page."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import Role

from . import health, scheduler


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers (no database asked)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    checks = health.readiness(timezone.now())
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )


@staff_required(roles=[Role.CLINIC_ADMIN])
def jobs(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "ops/jobs.html",
        {
            "jobs": scheduler.status(now),
            "scheduler_stale": scheduler.scheduler_is_stale(now),
        },
    )
