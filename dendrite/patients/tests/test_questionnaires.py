"""Questionnaire history: scored responses kept with the chart, newest first."""

import datetime as dt

import pytest
from django.utils import timezone

from dendrite.conftest import signed_in
from dendrite.patients.chart import RECENT_RESPONSES
from dendrite.patients.models import QuestionnaireResponse

from .conftest import add_response, audited, url

pytestmark = pytest.mark.django_db


def test_a_scored_response_is_stored_with_total_band_and_flags(alice):
    response = add_response(alice, [3, 3, 3, 3, 3, 2, 2, 2, 1])
    stored = QuestionnaireResponse.objects.get(pk=response.pk)
    assert (stored.instrument, stored.total, stored.band) == ("phq-9", 22, "severe")
    assert stored.flags == ["suicide-risk"] and stored.answers == [3, 3, 3, 3, 3, 2, 2, 2, 1]
    [event] = audited("patients.questionnaireresponse.create")
    assert event.patient_id == str(alice.pk) and event.detail == {"source": "clinic"}


def test_the_chart_shows_the_latest_and_links_to_all_of_them(nurse, alice):
    start = timezone.now() - dt.timedelta(days=100)
    for day in range(RECENT_RESPONSES + 3):
        add_response(alice, [min(day, 3)] * 9, when=start + dt.timedelta(days=day))
    page = signed_in(nurse).get(url("chart", alice)).content.decode()
    assert f"All {RECENT_RESPONSES + 3} questionnaires" in page
    assert "Patient Health Questionnaire-9 (PHQ-9)" in page


def test_the_full_history_is_paginated_newest_first(nurse, alice):
    start = timezone.now() - dt.timedelta(days=100)
    for day in range(30):
        add_response(alice, [0] * 9, when=start + dt.timedelta(days=day))
    response = signed_in(nurse).get(url("questionnaires", alice))
    dates = [row.authored_at for row, _title in response.context["rows"]]
    assert len(dates) == 25 and dates == sorted(dates, reverse=True)
    assert audited("patients.patient.read_clinical")[0].patient_id == str(alice.pk)


def test_an_audit_c_shows_its_band(nurse, alice):
    result = add_response(alice, [2, 1, 1], code="audit-c", sex="female")  # 4: positive
    page = signed_in(nurse).get(url("chart", alice)).content.decode()
    assert result.band == "positive"
    assert "AUDIT-C" in page and ">Positive screen<" in page


def test_front_desk_cannot_see_questionnaires(front_desk, alice):
    assert signed_in(front_desk).get(url("questionnaires", alice)).status_code == 403


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    assert signed_in(prescriber_hartford).get(url("questionnaires", alice)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.get(url("questionnaires", alice)).status_code == 302
