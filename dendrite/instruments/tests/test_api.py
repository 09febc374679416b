"""The instruments' JSON API: definitions, stateless scoring, rate limit, OpenAPI schema."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from dendrite.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def score(api, code, body):
    return api.post(reverse("instruments:score", args=[code]), body, format="json")


def test_the_list_names_every_instrument_with_its_loinc_code(api):
    response = api.get(reverse("instruments:list"))
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert set(rows) == {
        "phq-9", "phq-2", "gad-7", "audit", "audit-c", "dast-10", "c-ssrs-screener", "pcl-5"
    }  # fmt: skip
    assert rows["phq-9"]["loinc"] == "44249-1"
    assert rows["audit"]["loinc"] == "72110-0"
    assert set(rows["gad-7"]) == {"code", "title", "version", "loinc"}


def test_the_detail_is_the_fhir_questionnaire(api):
    data = api.get(reverse("instruments:detail", args=["phq-9"])).json()
    assert data["resourceType"] == "Questionnaire"
    assert data["code"][0]["code"] == "44249-1"


def test_an_unknown_instrument_is_a_404(api):
    assert api.get(reverse("instruments:detail", args=["phq-99"])).status_code == 404
    assert score(api, "phq-99", {"answers": []}).status_code == 404


def test_a_phq9_with_item_nine_endorsed_is_scored_and_flagged(api):
    response = score(api, "phq-9", {"answers": [2, 2, 2, 2, 2, 1, 1, 1, 1]})
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["band"], body["flags"]) == (14, "moderate", ["suicide-risk"])
    assert set(body) == {
        "instrument", "version", "total", "band", "flags", "subscores", "interpretation",
        "action", "criteria", "recorded",
    }  # fmt: skip


def test_answers_by_link_id_are_accepted(api):
    answers = {str(n): 0 for n in range(1, 10)}
    body = score(api, "phq-9", {"answers": answers}).json()
    assert (body["total"], body["band"], body["flags"]) == (0, "none-minimal", [])


def test_audit_reports_the_zone_after_the_override_rule(api):
    # Total 7 (zone I) with 2 on Q4: the override raises the intervention to zone II.
    body = score(api, "audit", {"answers": [1, 1, 1, 2, 1, 1, 0, 0, 0, 0]}).json()
    assert (body["total"], body["band"], body["action_zone"]) == (7, "zone-1", "zone-2")


def test_audit_c_needs_the_sex_and_uses_its_cut_off(api):
    missing = score(api, "audit-c", {"answers": [1, 1, 1]})
    assert missing.status_code == 400
    assert "sex" in missing.json()["errors"]
    assert (
        score(api, "audit-c", {"answers": [1, 1, 1], "sex": "female"}).json()["band"] == "positive"
    )
    assert score(api, "audit-c", {"answers": [1, 1, 1], "sex": "male"}).json()["band"] == "negative"


def test_dast10_takes_raw_yes_no_answers(api):
    answers = [False, False, True, False, False, False, False, False, False, False]
    assert score(api, "dast-10", {"answers": answers}).json()["total"] == 0


def test_cssrs_with_skipped_questions_as_null(api):
    answers = {"1": True, "2": False, "3": None, "4": None, "5": None, "6": False}
    body = score(api, "c-ssrs-screener", {"answers": answers}).json()
    assert body["total"] is None
    assert body["band"] == "low"
    assert body["flags"] == ["suicide-risk"]


def test_bad_answers_get_a_message_per_item(api):
    response = score(api, "audit", {"answers": [0, 0, 0, 0, 0, 0, 0, 0, 1, 9]})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"9", "10"}
    assert all(isinstance(message, str) and message for message in errors.values())


def test_a_body_without_answers_or_not_json_is_a_clear_400(api):
    assert score(api, "phq-9", {}).status_code == 400
    response = api.post(
        reverse("instruments:score", args=["phq-9"]), "not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_scoring_stores_nothing_and_needs_no_login(api):
    score(api, "phq-9", {"answers": [0] * 9})
    assert AuditEvent.objects.count() == 0


def test_scoring_is_rate_limited_per_client(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"scoring": "3/minute"},
    }
    statuses = [score(api, "phq-2", {"answers": [0, 0]}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_openapi_schema_and_docs_are_served_without_a_cdn(api, client):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/v1/instruments/phq-9/score" in schema.content  # one path per instrument
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_a_signed_in_browser_can_score_without_a_csrf_token(nurse):
    from django.test import Client

    from dendrite.conftest import signed_in

    client: Client = signed_in(nurse)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("instruments:score", args=["phq-2"]),
        {"answers": [1, 1]},
        content_type="application/json",
    )
    assert response.status_code == 200
