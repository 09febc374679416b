"""axe-core (WCAG 2.1 AA) on every scheduling page, with data on it, at full width and
at 320 px: the flows' browser tests cross some of them; this sweep crosses them all."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from dendrite.conftest import sign_in
from dendrite.scheduling import actions
from dendrite.scheduling.models import Kind, Reminder, SeriesProtocol, WaitlistEntry
from dendrite.tests.test_browser_staff_pages import sweep

from .conftest import clear_for_infusions, local, make_appointment, next_weekday

pytestmark = pytest.mark.browser


def test_scheduling_pages_have_no_axe_violations(
    page: Page, live_server, nurse, prescriber, front_desk, alice, bob, boston, check_axe
):
    monday = next_weekday(0)
    clear_for_infusions(alice, nurse)
    infusion = make_appointment(alice, Kind.INFUSION, local(boston, monday, 9), nurse)
    consultation = make_appointment(bob, Kind.CONSULTATION, local(boston, monday, 10), prescriber)
    protocol = SeriesProtocol.objects.get(location=boston)
    plan = actions.preview_series(alice, protocol, first_day=monday + dt.timedelta(days=7))
    series = actions.book_series(alice, protocol, starts=[s.start for s in plan], by=front_desk)
    missed = series.appointments.order_by("starts_at")[2]
    actions.cancel(missed, by=front_desk, reason="Unwell")
    Reminder.objects.create(
        appointment=consultation, channel="email", hours_before=24, due_at=consultation.starts_at,
        status=Reminder.Status.FAILED, attempts=6, last_error="SMTPException",
    )  # fmt: skip
    WaitlistEntry.objects.create(
        patient=bob, location=boston, appointment_type=infusion.appointment_type,
        earliest=monday, latest=monday + dt.timedelta(days=14), added_by=front_desk,
    )  # fmt: skip
    series_query = f"?protocol={protocol.pk}&first_day={monday + dt.timedelta(days=7)}"
    paths = [
        reverse("scheduling:day", args=[boston.pk, monday.isoformat()]),
        reverse("scheduling:appointment", args=[infusion.pk]),
        reverse("scheduling:appointment", args=[missed.pk]),
        reverse("scheduling:rebook", args=[missed.pk]),
        reverse("scheduling:move", args=[consultation.pk]),
        reverse("scheduling:book", args=[bob.pk]),
        reverse("scheduling:series", args=[alice.pk]),
        reverse("scheduling:series", args=[alice.pk]) + series_query,
        reverse("scheduling:waitlist"),
        reverse("scheduling:waitlist_add") + f"?patient={bob.pk}",
        reverse("scheduling:sending"),
        reverse("scheduling:feed_list"),
    ]
    sign_in(page, live_server, nurse)
    sweep(page, live_server, check_axe, paths)
    page.set_viewport_size({"width": 320, "height": 800})
    sweep(page, live_server, check_axe, paths)
    for path in paths:  # nothing wider than the screen at 320 px
        page.goto(live_server.url + path)
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            path,
            wide,
        )
