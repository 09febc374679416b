"""The FHIR API's addresses. Each view: who reads (auth) -> parse -> one access call ->
JSON. Every failure is an OperationOutcome (OAuth errors on the token endpoint)."""

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import access, auth, capability, search
from .serializer import etag

FHIR_JSON = "application/fhir+json; charset=utf-8"


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


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Errors of the reading views as OperationOutcomes."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return outcome(405, "not-supported", "This API is read-only: use GET.", Allow="GET")
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
    try:
        body = auth.issue(request.POST.dict(), _token_url(request))
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
