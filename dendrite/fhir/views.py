"""The FHIR API's addresses. Each view: who reads (auth) -> parse -> one access call ->
JSON. Every failure is an OperationOutcome (OAuth errors on the token endpoint)."""

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dendrite.ratelimit import Window, client_ip

from . import access, auth, bulk, capability, search
from .models import ExportJob
from .serializer import etag

FHIR_JSON = "application/fhir+json; charset=utf-8"
# Token requests per client address: a backend asks once per 5 minutes, or a few times.
TOKEN_REQUESTS = Window("fhir-token", 60, 60)


def fhir_response(data: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data), status=status, content_type=FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def outcome(status: int, code: str, text: str, **headers: str) -> HttpResponse:
    return fhir_response(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": text}],
        },
        status,
        **headers,
    )


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata")


def _token_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fhir:token"))


def _guarded(
    view: Callable[..., HttpResponse], methods: tuple[str, ...] = ("GET", "HEAD")
) -> Callable[..., HttpResponse]:
    """Errors of the reading views as OperationOutcomes."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in methods:
            allow = ", ".join(methods)
            return outcome(405, "not-supported", f"Use {allow} here.", Allow=allow)
        try:
            return view(request, *args, **kwargs)
        except auth.Unauthorized as error:
            return outcome(401, "login", str(error), WWW_Authenticate='Bearer realm="fhir"')
        except access.Forbidden as error:
            return outcome(403, "forbidden", str(error))
        except access.NotFound as error:
            return outcome(404, "not-found", str(error))
        except search.BadRequest as error:
            return outcome(400, "invalid", str(error))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@csrf_exempt
@_guarded
def metadata(request: HttpRequest) -> HttpResponse:
    statement = capability.capability_statement(_base(request), _token_url(request), timezone.now())
    return fhir_response(statement)


@require_GET
def smart_configuration(request: HttpRequest) -> HttpResponse:
    return JsonResponse(capability.smart_configuration(_token_url(request)))


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    if not TOKEN_REQUESTS.allow(client_ip(request) or "unknown"):
        return JsonResponse(
            {"error": "slow_down", "error_description": "Too many token requests; wait."},
            status=429,
            headers={"Retry-After": str(TOKEN_REQUESTS.retry_after())},
        )
    urls = list(dict.fromkeys([_token_url(request), settings.SITE_URL + reverse("fhir:token")]))
    try:
        body = auth.issue(request.POST.dict(), urls)
    except auth.OAuthError as error:
        return JsonResponse(
            {"error": error.error, "error_description": error.description}, status=error.status
        )
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@csrf_exempt
@_guarded
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    kind = access.kind_of(resource_type)
    reader = auth.reader_for(request)
    resource = access.read(reader, kind, resource_id)
    tag = etag(resource)
    if request.headers.get("If-None-Match") == tag:
        return HttpResponse(status=304, headers={"ETag": tag})
    modified = datetime.fromisoformat(resource["meta"]["lastUpdated"]).timestamp()
    return fhir_response(resource, ETag=tag, Last_Modified=http_date(modified))


@csrf_exempt
@_guarded
def search_type(request: HttpRequest, resource_type: str) -> HttpResponse:
    kind = access.kind_of(resource_type)
    reader = auth.reader_for(request)
    pairs = [(name, value) for name, values in request.GET.lists() for value in values]
    query = search.parse(kind.name, pairs, kind.params)
    page = access.search(reader, kind, query)
    base = _base(request)
    return fhir_response(_bundle(base, kind.name, pairs, query, page))


@csrf_exempt
@_guarded
def export(request: HttpRequest, group: str | None = None) -> HttpResponse:
    """Bulk Data kick-off: system ($export), Patient/$export and Group/<location>/$export."""
    reader = auth.reader_for(request)
    if request.headers.get("Prefer", "").replace(" ", "") != "respond-async":
        raise search.BadRequest("A bulk export needs the header Prefer: respond-async.")
    level = "group" if group is not None else (
        "patient" if request.path.rstrip("/").endswith("Patient/$export") else "system"
    )  # fmt: skip
    pairs = [(name, value) for name, values in request.GET.lists() for value in values]
    job = bulk.kick_off(reader, level, pairs, request.build_absolute_uri(), group)
    status_url = request.build_absolute_uri(reverse("fhir:export_status", args=[job.public_id]))
    return HttpResponse(status=202, headers={"Content-Location": status_url})


def _job_for(request: HttpRequest, public_id: uuid.UUID) -> ExportJob:
    reader = auth.reader_for(request)
    job = (
        ExportJob.objects.filter(
            public_id=public_id, client_id=reader.client_id, client_id__isnull=False
        )
        .exclude(status=ExportJob.Status.CANCELLED)
        .first()
    )
    if job is None or (job.expires_at is not None and job.expires_at < timezone.now()):
        raise access.NotFound("No such export (or it has been removed).")
    return job


@csrf_exempt
def export_status(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _guarded(_export_status, ("GET", "HEAD", "DELETE"))(request, public_id)


def _export_status(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = _job_for(request, public_id)
    if request.method == "DELETE":
        bulk.cancel(job)
        return HttpResponse(status=202)
    if job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        headers = {"Retry-After": "5", "X-Progress": job.progress or job.get_status_display()}
        return HttpResponse(status=202, headers=headers)
    if job.status == ExportJob.Status.FAILED:
        return outcome(500, "exception", "The export failed; kick it off again.")
    assert job.transaction_time is not None and job.expires_at is not None
    manifest = {
        "transactionTime": job.transaction_time.isoformat(),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": o["type"], "count": o["count"], "url": request.build_absolute_uri(
                reverse("fhir:export_file", args=[job.public_id, o["name"]]))}
            for o in job.output
        ],
        "error": [],
    }  # fmt: skip
    return JsonResponse(manifest, headers={"Expires": http_date(job.expires_at.timestamp())})


@csrf_exempt
@_guarded
def export_file(request: HttpRequest, public_id: uuid.UUID, name: str) -> HttpResponse:
    job = _job_for(request, public_id)
    if job.status != ExportJob.Status.DONE or name not in {o["name"] for o in job.output}:
        raise access.NotFound("No such file in this export.")
    path = bulk.folder(job) / name
    return FileResponse(path.open("rb"), content_type="application/fhir+ndjson")


@csrf_exempt
@_guarded
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    raise access.NotFound("Nothing is served at this address of the FHIR API.")


def _bundle(
    base: str, name: str, pairs: list[tuple[str, str]], query: search.Query, page: access.Page
) -> dict[str, Any]:
    kept = [(k, v) for k, v in pairs if k not in ("_count", "_offset", "_getpagesoffset")]

    def link(relation: str, offset: int) -> dict[str, str]:
        params = [*kept, ("_count", str(query.count)), ("_offset", str(offset))]
        return {"relation": relation, "url": f"{base}{name}?{urlencode(params)}"}

    links = [link("self", query.offset)]
    if query.count and query.offset + query.count < page.total:
        links.append(link("next", query.offset + query.count))
    if query.offset > 0 and query.count:
        links.append(link("previous", max(0, query.offset - query.count)))
    entries = [
        {"fullUrl": f"{base}{r['resourceType']}/{r['id']}", "resource": r,
         "search": {"mode": "match"}}
        for r in page.resources
    ] + [
        {"fullUrl": f"{base}{r['resourceType']}/{r['id']}", "resource": r,
         "search": {"mode": "include"}}
        for r in page.included
    ]  # fmt: skip
    if page.withheld:
        entries.append({
            "fullUrl": f"urn:uuid:{uuid.uuid4()}",
            "resource": {"resourceType": "OperationOutcome", "issue": [{
                "severity": "information", "code": "suppressed",
                "diagnostics": f"{access.WITHHELD} ({page.withheld} on this page)",
            }]},
            "search": {"mode": "outcome"},
        })  # fmt: skip
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": timezone.now().isoformat()},
        "type": "searchset",
        "total": page.total,
        "link": links,
    }
    if entries:
        bundle["entry"] = entries
    return bundle
