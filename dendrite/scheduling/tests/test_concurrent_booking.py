"""No double booking, ever: many staff members press "Book" for the same time at once,
against a real server (live_server: one thread per request, each with its own database
connection). Exactly one booking wins; the others are told the time was taken.

On PostgreSQL the transactions really run side by side and the exclusion constraints
pick the winner; on SQLite write transactions queue (BEGIN IMMEDIATE) and the loser
finds the time gone. Either way the database is the judge.
"""

import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.urls import reverse

from dendrite.conftest import make_patient, make_user, signed_in
from dendrite.scheduling.models import Appointment, Kind

from .conftest import clear_for_infusions, local, next_weekday

pytestmark = pytest.mark.django_db(transaction=True)

CALLERS = 8
CSRF = "x" * 32  # any token works when the cookie and the form carry the same one


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post(url: str, data: dict[str, str], session: str) -> int:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode(),
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={CSRF}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as answer:
        return answer.code


@pytest.mark.parametrize("kind", [Kind.CONSULTATION, Kind.INFUSION])
def test_concurrent_bookings_of_the_same_time_have_exactly_one_winner(live_server, boston, kind):
    desk = make_user("desk", "front_desk", boston)
    make_user("prescriber", "prescriber", boston)
    for n in range(CALLERS):  # nurses to spare: for infusions the one chair is contested
        make_user(f"nurse{n}", "nurse", boston)
    patients = [make_patient(boston, f"Patient{n}", "Concurrent") for n in range(CALLERS)]
    for patient in patients:
        clear_for_infusions(patient, desk)
    start = local(boston, next_weekday(1), 10)
    sessions = [signed_in(desk).cookies[settings.SESSION_COOKIE_NAME].value for _ in patients]
    data = {
        "appointment_type": kind,
        "day": start.date().isoformat(),
        "starts_at": start.isoformat(),
    }

    barrier = threading.Barrier(CALLERS)
    statuses: list[int] = []

    def call(patient, session) -> None:
        url = live_server.url + reverse("scheduling:book", args=[patient.pk])
        barrier.wait()
        statuses.append(post(url, data, session))

    threads = [
        threading.Thread(target=call, args=pair) for pair in zip(patients, sessions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses).count(302) == 1, statuses
    assert all(status in (200, 302, 400, 409) for status in statuses), statuses
    assert Appointment.objects.count() == 1
