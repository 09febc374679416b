"""An infusion goes "In chair", "Recovering" and "Done" through its chairside record
(the pre-infusion check, the dose's double check, the vial draw), never by a button of
the schedule: the infusions app registers its record (scheduling/chairside.py)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.scheduling import actions, chairside
from dendrite.scheduling.day import next_status_actions
from dendrite.scheduling.models import Kind, Status

from .conftest import make_appointment

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def visit(alice, nurse, boston):
    with time_machine.travel(NOW, tick=False):
        made = make_appointment(alice, Kind.INFUSION, NOW, nurse)
        actions.change_status(made, Status.CHECKED_IN, by=nurse)
    return made


def test_the_infusions_app_registered_its_chairside_record():
    assert [c.url_name for c in chairside._registered] == ["infusions:chairside"]


@time_machine.travel(NOW, tick=False)
def test_the_schedule_refuses_in_chair_and_done_without_the_record(visit, nurse):
    with pytest.raises(actions.Refused, match="chairside record"):
        actions.change_status(visit, Status.IN_CHAIR, by=nurse)
    with pytest.raises(actions.Refused, match="chairside record"):
        actions.change_status(visit, Status.DONE, by=nurse)
    steps = dict(next_status_actions(visit, nurse))
    assert Status.IN_CHAIR not in steps and Status.DONE not in steps
    assert Status.LEFT in steps


@time_machine.travel(NOW, tick=False)
def test_the_day_and_the_page_lead_to_the_chairside_record(visit, nurse, front_desk):
    chairside_url = reverse("infusions:chairside", args=[visit.pk])
    page = signed_in(nurse).get(reverse("scheduling:appointment", args=[visit.pk]))
    assert "In chair: start at the chairside record" in page.content.decode()
    assert chairside_url in page.content.decode()
    assert 'value="in_chair"' not in page.content.decode()
    day = reverse("scheduling:day", args=[visit.location_id, "2026-12-07"])
    html = signed_in(nurse).get(day).content.decode()
    assert "In chair: chairside record" in html and 'value="in_chair"' not in html
    assert "In chair: chairside record" not in signed_in(front_desk).get(day).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_posted_in_chair_is_refused_with_a_reason(visit, nurse):
    client = signed_in(nurse)
    response = client.post(
        reverse("scheduling:change_status", args=[visit.pk]),
        {"status": "in_chair", "version": visit.version + 1},
    )
    visit.refresh_from_db()
    assert visit.status == Status.CHECKED_IN
    assert "chairside record" in client.get(response.url).content.decode()
