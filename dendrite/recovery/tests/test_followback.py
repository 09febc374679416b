"""The Timeline Followback month: one input per day for the 30 days before today,
marker days, the clinician's record replacing the diary's."""

import datetime as dt

from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.recovery.models import DrinkingDay, MarkerDay, Source

from .conftest import TODAY, put_days

YESTERDAY = TODAY - dt.timedelta(days=1)
FIRST = TODAY - dt.timedelta(days=30)


def name(day: dt.date) -> str:
    return f"d{day.isoformat()}"


def test_the_month_has_one_input_per_day_of_the_last_30(alice, nurse, frozen) -> None:
    put_days(alice, YESTERDAY, [3])
    page = signed_in(nurse).get(reverse("recovery:followback", args=[alice.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('name="d2026-') == 30
    assert f'name="{name(FIRST)}"' in body
    assert f'name="{name(TODAY)}"' not in body
    assert "from the diary" in body


def test_staff_fill_the_days_blank_days_stay_as_they_were(alice, nurse, frozen) -> None:
    put_days(alice, YESTERDAY - dt.timedelta(days=1), [2, 3])
    data = {"followback": "1", name(FIRST): "0", name(YESTERDAY): "5"}
    response = signed_in(nurse).post(reverse("recovery:followback", args=[alice.pk]), data)
    assert response.status_code == 302
    rows = {row.day: row for row in DrinkingDay.objects.all()}
    assert rows[FIRST].drinks == 0
    assert (rows[YESTERDAY].drinks, rows[YESTERDAY].source) == (5, Source.TLFB)
    assert rows[YESTERDAY].entered_by == nurse
    assert rows[YESTERDAY - dt.timedelta(days=1)].source == Source.DIARY  # left blank
    assert len(rows) == 3


def test_one_bad_day_saves_nothing_and_keeps_what_was_typed(alice, nurse, frozen) -> None:
    data = {"followback": "1", name(FIRST): "2", name(YESTERDAY): "75"}
    response = signed_in(nurse).post(reverse("recovery:followback", args=[alice.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "more than 60 drinks" in body
    assert 'value="75"' in body
    assert not DrinkingDay.objects.exists()


def test_a_marker_day_is_shown_on_its_day(alice, nurse, frozen) -> None:
    client = signed_in(nurse)
    marker = {"marker": "1", "day": "2026-11-26", "text": "Thanksgiving"}
    client.post(reverse("recovery:followback", args=[alice.pk]), marker)
    assert MarkerDay.objects.get().text == "Thanksgiving"
    assert (
        "Thanksgiving"
        in client.get(reverse("recovery:followback", args=[alice.pk])).content.decode()
    )


def test_staff_enter_a_day_for_the_patient(alice, nurse, frozen) -> None:
    data = {"day": YESTERDAY.isoformat(), "drinks": "2", "craving": "3", "note": "by phone"}
    response = signed_in(nurse).post(reverse("recovery:day_entry", args=[alice.pk]), data)
    assert response.status_code == 302
    row = DrinkingDay.objects.get()
    assert (row.source, row.entered_by, row.craving) == (Source.STAFF, nurse, 3)


def test_only_clinicians_at_the_patients_location(
    alice, charlie, front_desk, clinic_admin, prescriber_hartford, nurse, client, frozen
) -> None:
    urls = [
        reverse("recovery:followback", args=[alice.pk]),
        reverse("recovery:day_entry", args=[alice.pk]),
        reverse("recovery:overview", args=[alice.pk]),
    ]
    for user in (front_desk, clinic_admin, prescriber_hartford):
        for url in urls:
            assert signed_in(user).get(url).status_code in (403, 404)
    for url in urls:
        assert client.get(url).status_code == 302
    assert signed_in(nurse).get(reverse("recovery:overview", args=[charlie.pk])).status_code == 404
    data = {"followback": "1", name(YESTERDAY): "5"}
    signed_in(prescriber_hartford).post(urls[0], data)
    assert not DrinkingDay.objects.exists()
