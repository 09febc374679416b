"""In a browser, at 320, 390, 768 and 1280 px with axe: checking in on the day and
undoing it; the warning after a booking whose confirmation could not be sent, recording
the patient's consent from it, and the printable confirmation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from dendrite.conftest import sign_in
from dendrite.scheduling import actions
from dendrite.scheduling.models import Appointment, Kind, Status

from .conftest import local, make_appointment, next_weekday, type_at

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 768, 1280)


def axe_at_every_width(page: Page, check_axe) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert check_axe(page) == [], width


def test_check_in_on_the_day_then_undo(page: Page, live_server, front_desk, prescriber, alice,
                                       check_axe):  # fmt: skip
    soon = (timezone.now() + dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
    visit = make_appointment(alice, Kind.CONSULTATION, soon, prescriber)
    sign_in(page, live_server, front_desk)
    page.goto(live_server.url + reverse("scheduling:appointment", args=[visit.pk]))
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("The appointment is now “Checked in”.")).to_be_visible()
    expect(page.get_by_role("button", name="In consultation")).to_be_visible()
    expect(page.get_by_role("button", name="Left without being seen")).to_be_visible()
    axe_at_every_width(page, check_axe)
    page.get_by_role("button", name="Undo “Checked in”").click()
    expect(page.get_by_text("Undone: the appointment is “Booked” again.")).to_be_visible()
    expect(page.get_by_text("Undid “Checked in”")).to_be_visible()
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED


def test_an_unsent_confirmation_is_told_and_fixed_at_the_desk(
    page: Page, live_server, front_desk, prescriber, alice, boston, check_axe
):
    booked = actions.book(
        alice, type_at(boston, Kind.CONSULTATION),
        starts_at=local(boston, next_weekday(1), 10), by=front_desk,
    )  # fmt: skip
    sign_in(page, live_server, front_desk)
    page.goto(live_server.url + reverse("scheduling:appointment", args=[booked.pk]))
    expect(page.get_by_role("heading", name="The patient was not told about this appointment"))
    axe_at_every_width(page, check_axe)
    with page.expect_navigation():
        page.get_by_role("link", name="Print the confirmation to hand over").click()
    expect(page.get_by_role("heading", name="Your appointment at", exact=False)).to_be_visible()
    axe_at_every_width(page, check_axe)
    page.go_back()
    page.get_by_label("E-mail").check()
    page.get_by_label("The patient", exact=True).check()
    page.get_by_role("button", name="Record the consent and send").click()
    expect(page.get_by_text("the confirmation is on its way")).to_be_visible()
    assert page.get_by_text("The patient was not told").count() == 0
    assert Appointment.objects.get().patient.consented_to("email_messages")
