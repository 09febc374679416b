"""The patient's diary page, opened with their personal link on a phone."""

import datetime as dt
import secrets
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dendrite.recovery.models import DiaryLink, DrinkingDay, Source, hash_token

from .conftest import TODAY


def open_diary(patient, nurse) -> tuple[Client, str]:
    token = secrets.token_urlsafe(32)
    DiaryLink.objects.create(
        patient=patient, token_hash=hash_token(token), created_by=nurse,
        expires_at=timezone.now() + dt.timedelta(days=365),
    )  # fmt: skip
    client = Client()
    response = client.get(reverse("recovery:diary_open", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("recovery:diary")
    return client, token


def post_day(client: Client, **fields: object):
    data = {"day": TODAY.isoformat(), "drinks": "2", "craving": "", "note": ""} | fields
    return client.post(reverse("recovery:diary"), data)


def test_the_patient_adds_today_and_sees_it(alice, nurse, frozen) -> None:
    client, _ = open_diary(alice, nurse)
    page = client.get(reverse("recovery:diary"))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert post_day(client, drinks="2.5", craving="6", note="Work party").status_code == 302
    row = DrinkingDay.objects.get()
    assert (row.day, row.drinks, row.craving, row.source) == (TODAY, Decimal("2.5"), 6, "diary")
    assert "Saved" in client.get(reverse("recovery:diary")).content.decode()


def test_a_day_already_entered_is_edited_not_doubled(alice, nurse, frozen) -> None:
    client, _ = open_diary(alice, nurse)
    post_day(client, drinks="2")
    response = post_day(client, drinks="4")
    assert response.status_code == 400
    assert "already entered this day" in response.content.decode()
    assert DrinkingDay.objects.get().drinks == 2
    form = client.get(reverse("recovery:diary"), {"day": TODAY.isoformat()}).content.decode()
    assert 'name="editing"' in form
    assert post_day(client, drinks="4", editing=TODAY.isoformat()).status_code == 302
    assert DrinkingDay.objects.get().drinks == 4


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": (TODAY + dt.timedelta(days=1)).isoformat()}, "has not come yet"),
        ({"drinks": "-1"}, "cannot be below 0"),
        ({"drinks": "61"}, "more than 60 drinks"),
        ({"drinks": "1000"}, "more than 60 drinks"),
        ({"drinks": "two"}, "Please enter a number"),
        ({"drinks": ""}, "0 if you had none"),
        ({"craving": "11"}, "from 0 to 10"),
    ],
)
def test_bad_input_gets_a_kind_message_keeps_what_was_typed_and_saves_nothing(
    alice, nurse, frozen, fields, message
) -> None:
    client, _ = open_diary(alice, nurse)
    response = post_day(client, note="kept as typed", **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "kept as typed" in response.content.decode()
    assert not DrinkingDay.objects.exists()


def test_a_day_recorded_with_staff_stays_as_recorded(alice, nurse, frozen) -> None:
    DrinkingDay.objects.create(patient=alice, day=TODAY, drinks=5, source=Source.TLFB)
    client, _ = open_diary(alice, nurse)
    assert "recorded with your care team" in client.get(reverse("recovery:diary")).content.decode()
    response = post_day(client, drinks="0", editing=TODAY.isoformat())
    assert "Your care team recorded this day" in response.content.decode()
    assert DrinkingDay.objects.get().drinks == 5


def test_the_helper_works_out_two_pints_of_six_percent_beer(alice, nurse, frozen) -> None:
    client, _ = open_diary(alice, nurse)
    response = client.post(
        reverse("recovery:diary"),
        {"day": TODAY.isoformat(), "note": "pub", "helper": "1", "helper-count": "2",
         "helper-size": "1", "helper-unit": "pint", "helper-percent": "6"},
    )  # fmt: skip
    body = response.content.decode()
    assert 'value="3.2"' in body
    assert "pub" in body
    assert not DrinkingDay.objects.exists()


def test_a_switched_off_or_unknown_link_opens_nothing(alice, nurse, frozen) -> None:
    client, token = open_diary(alice, nurse)
    DiaryLink.objects.update(revoked_at=timezone.now())
    assert client.get(reverse("recovery:diary")).status_code == 404
    assert Client().get(reverse("recovery:diary_open", args=[token])).status_code == 404
    assert Client().get(reverse("recovery:diary_open", args=["nonsense"])).status_code == 404
    assert Client().get(reverse("recovery:diary")).status_code == 404
    assert post_day(Client()).status_code == 404
    assert not DrinkingDay.objects.exists()


def test_the_diary_speaks_spanish(alice, nurse, frozen) -> None:
    client, _ = open_diary(alice, nurse)
    client.post(reverse("set_language"), {"language": "es", "next": "/diary/"})
    body = client.get(reverse("recovery:diary")).content.decode()
    assert 'lang="es"' in body
    assert "Mi diario de consumo de alcohol" in body
    response = post_day(client, drinks="-1")
    assert "no puede ser menor que 0" in response.content.decode()
