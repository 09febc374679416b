"""Flood defences where a screening starts (screening/defences.py): one address cannot make
thirty urgent leads in ten seconds, yet no refusal ever hides the crisis lines, and a
screening already under way keeps every safety answer (issue #11, point 5)."""

import datetime as dt
import re
import time

import pytest
from django.test import Client

from dendrite.alerts.models import SafetyAlert
from dendrite.leads.models import Lead
from dendrite.screening import defences
from dendrite.screening.models import ScreeningSession

from .helpers import contact, scores, start, url

pytestmark = pytest.mark.django_db
CRISIS_LINES = ('href="tel:988"', 'href="tel:911"')


def high_risk_screening(location) -> Client:
    client = Client()
    start(client, location)
    client.post(url("mood"), scores(9, **{"q9": 3}))
    return client


def test_thirty_screenings_from_one_address_make_five_leads_and_five_alerts(boston, settings):
    settings.SCREENING_BURST_LIMIT = 5
    refused = []
    for _ in range(30):
        client = Client()
        response = start(client, boston)
        if response.status_code == 302:
            client.post(url("mood"), scores(9, **{"q9": 3}))
        else:
            refused.append(response)
    assert Lead.objects.count() == 5 and SafetyAlert.objects.count() == 5
    assert len(refused) == 25
    page = refused[0]
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    html = page.content.decode()
    assert all(line in html for line in CRISIS_LINES)  # a refusal never hides the crisis lines
    assert boston.phone in html


def test_a_screening_under_way_keeps_its_safety_answer_when_its_address_is_limited(
    boston, settings
):
    settings.SCREENING_BURST_LIMIT = 2
    person = Client()
    start(person, boston)
    for _ in range(5):  # the same address floods new screenings meanwhile
        start(Client(), boston)
    assert start(Client(), boston).status_code == 429
    response = person.post(url("mood"), scores(9, **{"q9": 3}))
    assert response.status_code == 302
    screening = ScreeningSession.objects.get(
        lead__name="Dana Example", pk=person.session["screening"]
    )
    assert screening.answers["mood"]["9"] == 3
    assert SafetyAlert.objects.filter(lead=screening.lead).exists()


def test_the_daily_cap_speaks_of_a_shared_connection(boston, settings):
    settings.SCREENING_BURST_LIMIT = 100
    settings.SCREENING_DAILY_LIMIT = 3
    for _ in range(3):
        start(Client(), boston)
    response = start(Client(), boston)
    assert response.status_code == 429
    assert "shared by many people" in response.content.decode()


def test_a_first_page_sent_faster_than_a_person_reads_comes_back_as_typed(client, boston):
    data = contact(boston) | {"token": defences.new_token(shown_at=time.time())}
    response = client.post(url("contact"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Everything you wrote is still here" in html
    assert 'value="Dana Example"' in html and 'value="dana@example.test"' in html
    assert 'value="35-44"' in html and "checked" in html
    assert all(line in html for line in CRISIS_LINES)  # the crisis lines on every page
    assert not Lead.objects.exists()
    fresh = re.search(r'name="token" value="([^"]+)"', html)
    assert fresh is not None and fresh.group(1) != data["token"]


@pytest.mark.parametrize("token", ["", "forged"])
def test_a_missing_or_forged_note_is_refused_and_nothing_stored(client, boston, token):
    response = client.post(url("contact"), contact(boston) | {"token": token})
    assert response.status_code == 400
    assert not Lead.objects.exists()


def test_a_first_page_left_open_for_over_a_week_comes_back_as_typed(client, boston, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC), tick=False)
    token = defences.new_token()
    time_machine.shift(dt.timedelta(days=8))
    response = client.post(url("contact"), contact(boston) | {"token": token})
    html = response.content.decode()
    assert response.status_code == 400 and "Everything you wrote is still here" in html
    assert 'value="Dana Example"' in html
    assert not Lead.objects.exists()


def test_a_robot_filling_the_honeypot_stores_nothing_and_learns_nothing(client, boston):
    response = client.post(url("contact"), contact(boston) | {"website": "http://spam.example"})
    assert response.status_code == 302 and response.url == "/screening/"
    assert not Lead.objects.exists()


def test_the_first_page_carries_the_note_and_the_trap(client, boston):
    html = client.get(url("contact")).content.decode()
    assert 'name="token"' in html and 'name="website"' in html


def test_going_back_to_the_first_page_of_a_screening_under_way_is_never_limited(boston, settings):
    settings.SCREENING_BURST_LIMIT = 1
    person = Client()
    start(person, boston)
    start(Client(), boston)  # the limit is now reached
    response = person.post(url("contact"), contact(boston, name="Dana E.", token=""))
    assert response.status_code == 302
    assert Lead.objects.filter(name="Dana E.").exists()
