"""JSON API of the instruments: definitions and a stateless scoring endpoint.

The score endpoint stores nothing and holds no identity, so it needs no login;
it is rate-limited per client address instead.
"""

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
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
    answers = serializers.JSONField(
        help_text="A list in item order, or an object keyed by linkId. Values are the option "
        "scores (integers), true/false for yes/no items, null for items the skip logic leaves out."
    )
    sex = serializers.ChoiceField(
        choices=["female", "male"], required=False, help_text="Needed for AUDIT-C."
    )


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


@extend_schema(responses=OpenApiTypes.OBJECT, summary="An instrument as a FHIR R4 Questionnaire")
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def instrument_detail(request: Request, code: str) -> Response:
    return Response(definition_or_404(code))


@extend_schema(
    request=ScoreRequest,
    responses={200: ScoreResponse, 400: OpenApiTypes.OBJECT},
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
    body = request.data if isinstance(request.data, dict) else {}
    if "answers" not in body:
        return Response(
            {"errors": {"answers": "Please send the answers, as a list or an object."}},
            status=400,
        )
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


def as_json(result: scoring.ScoreResult) -> dict[str, Any]:
    data = asdict(result)
    data["flags"] = list(result.flags)
    if result.action_zone is None:
        data.pop("action_zone")
    return data
