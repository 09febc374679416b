"""A preparation and a start drawing from the same vial at the same moment, each in its
own thread with its own connection. The vial's row is locked by both (select_for_update
on PostgreSQL; SQLite's IMMEDIATE transactions queue), so the preparation waits for the
start to commit and then counts what the running infusion holds: a 6 mL vial cannot give
4 mL twice. Without the lock the preparation would read the vial before the start
commits and pass."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from dendrite.infusions import actions
from dendrite.infusions.models import Infusion
from dendrite.scheduling.models import Kind
from dendrite.scheduling.tests.conftest import clear_for_infusions, make_appointment

from .conftest import checked, sign, stock, verified

pytestmark = pytest.mark.django_db(transaction=True)
# How long the start keeps its transaction open if the preparation never waits for it:
# only the case of a missing lock depends on it (the preparation then finishes first).
HOLD_SECONDS = 2


def test_a_preparation_waits_for_a_start_on_the_same_vial_and_counts_its_draw(
    visit, order, nurse, nurse_two, prescriber, bob
):
    six = stock(visit.location, nurse, volume_ml=Decimal(6))
    first = verified(visit, nurse, nurse_two, order, six)
    clear_for_infusions(bob, nurse_two)
    later = make_appointment(bob, Kind.INFUSION, visit.starts_at + dt.timedelta(hours=2), nurse_two)
    second = checked(later, nurse_two, sign(later, prescriber))
    started, released = threading.Event(), threading.Event()
    outcomes: list[str] = []

    def start_and_hold() -> None:
        try:
            with transaction.atomic():
                actions.start(first, by=nurse)
                started.set()
                released.wait(timeout=HOLD_SECONDS)
        finally:
            started.set()
            connection.close()

    def prepare() -> None:
        started.wait(timeout=30)
        try:
            actions.prepare_dose(second, by=nurse_two, vial=six)
            outcomes.append("prepared")
        except actions.Refused as refused:
            outcomes.append(refused.message)
        finally:
            released.set()
            connection.close()

    threads = [threading.Thread(target=start_and_hold), threading.Thread(target=prepare)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 1 and outcomes[0].startswith("Only 2.00 mL is left in vial 1")
    assert Infusion.objects.get(pk=first.pk).stage == "running"
    assert Infusion.objects.get(pk=second.pk).stage == "checked"
