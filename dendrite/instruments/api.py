"""JSON API of the instruments: definitions and a stateless scoring endpoint.

The score endpoint stores nothing and holds no identity, so it needs no login;
it is rate-limited per client address instead.
"""

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from dendrite.ratelimit import client_ip

from . import loader, scoring
from .answers import Problems
from .openapi import SEXES


class ScoringThrottle(SimpleRateThrottle):
    """Per client address, at the rate named "scoring" (DENDRITE_SCORING_RATE)."""

    scope = "scoring"

    def get_rate(self) -> str | None:
        # Read on each request, so a changed setting applies without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request: Request) -> str:
        # The project's one reading of the client's address: X-Forwarded-For is trusted
        # only as far as DENDRITE_PROXY_COUNT, so a made-up header is no new identity.
        return client_ip(request) or "unknown"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class BoundedJSONParser(JSONParser):
    """JSON, refused with a 400 when nested deeper than Python's decoder can follow."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as too_deep:
            raise ParseError("JSON nested too deeply.") from too_deep


def definition_or_404(code: str) -> dict[str, Any]:
    try:
        return loader.get_definition(code)
    except loader.UnknownInstrument as missing:
        raise Http404 from missing


class InstrumentSummary(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    version = serializers.CharField()
    loinc = serializers.CharField(allow_null=True)


class ScoreRequest(serializers.Serializer):
    """Only a placeholder: openapi.score_per_instrument gives each instrument its exact body."""

    answers = serializers.JSONField()
    sex = serializers.ChoiceField(choices=list(SEXES), required=False)


class Problem(serializers.Serializer):
    detail = serializers.CharField()


class ScoreErrors(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.CharField(),
        help_text="A message a person can read, by question or field.",
    )
    codes = serializers.DictField(
        child=serializers.CharField(),
        help_text="The kind of each problem, for programs: missing, wrong-type, out-of-range, "
        "not-an-option, not-asked, unknown-item, wrong-count, wrong-shape, unknown-field, "
        "not-json.",
    )


CODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    enum=list(loader.instrument_codes()),
    description="The instrument's code, as the list gives it.",
)
NOT_FOUND = OpenApiResponse(Problem, description="No instrument has this code.")


class ScoreResponse(serializers.Serializer):
    instrument = serializers.CharField()
    version = serializers.CharField()
    total = serializers.IntegerField(allow_null=True)
    band = serializers.CharField()
    flags = serializers.ListField(child=serializers.CharField())
    subscores = serializers.DictField(child=serializers.IntegerField())
    criteria = serializers.DictField(child=serializers.BooleanField())
    recorded = serializers.DictField(child=serializers.CharField())
    interpretation = serializers.CharField()
    action = serializers.CharField()
    action_zone = serializers.CharField(required=False, help_text="AUDIT only.")


@extend_schema(responses=InstrumentSummary(many=True), summary="List the instruments")
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def instrument_list(request: Request) -> Response:
    fields = ("code", "title", "version", "loinc")
    return Response([{k: row[k] for k in fields} for row in loader.list_instruments()])


@extend_schema(
    parameters=[CODE],
    responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    summary="An instrument as a FHIR R4 Questionnaire",
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def instrument_detail(request: Request, code: str) -> Response:
    return Response(definition_or_404(code))


@extend_schema(
    parameters=[CODE],
    request=ScoreRequest,
    responses={
        200: ScoreResponse,
        400: OpenApiResponse(ScoreErrors, description="The answers or the body cannot be scored."),
        404: NOT_FOUND,
        415: OpenApiResponse(Problem, description="The body is not JSON."),
        429: OpenApiResponse(Problem, description="Too many requests from this address."),
    },
    summary="Score a completed instrument (nothing is stored)",
    examples=[
        OpenApiExample("PHQ-9", request_only=True, value={"answers": [1, 1, 2, 1, 0, 1, 1, 0, 0]})
    ],
)
@api_view(["POST"])
@authentication_classes([])  # no identity, so no session and no CSRF to bother a client
@permission_classes([AllowAny])
@throttle_classes([ScoringThrottle])
@parser_classes([BoundedJSONParser])
def score(request: Request, code: str) -> Response:
    definition_or_404(code)
    try:
        body = request.data
    except ParseError as unreadable:
        return Response(
            {"errors": {"body": str(unreadable.detail)}, "codes": {"body": "not-json"}}, status=400
        )
    if problems := body_problems(body):
        return Response({"errors": problems.errors, "codes": problems.codes}, status=400)
    try:
        result = scoring.score(
            code,
            body["answers"],
            sex=body.get("sex"),
            pcl5_cutoff=settings.PCL5_CUTOFF,
            pcl5_band_rule=settings.PCL5_BAND_RULE,
        )
    except scoring.ScoringError as error:
        return Response({"errors": error.errors, "codes": error.codes}, status=400)
    return Response(as_json(result))


def body_problems(body: object) -> Problems | None:
    """What is wrong with the body's shape (the answers themselves are the engine's)."""
    problems = Problems()
    if not isinstance(body, dict):
        problems.add("answers", "wrong-shape", "Send a JSON object with the answers.")
        return problems
    if "answers" not in body:
        problems.add("answers", "missing", "Please send the answers, as a list or an object.")
    if "sex" in body and not (isinstance(body["sex"], str) and body["sex"] in SEXES):
        problems.add("sex", "not-an-option", "The sex is female or male.")
    for key in body:
        if key not in ("answers", "sex"):
            problems.add(str(key), "unknown-field", f"This API takes no {key!r}.")
    return problems if problems.errors else None


def as_json(result: scoring.ScoreResult) -> dict[str, Any]:
    data = asdict(result)
    data["flags"] = list(result.flags)
    if result.action_zone is None:
        data.pop("action_zone")
    return data
