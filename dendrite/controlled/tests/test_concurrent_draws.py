"""No overdraw, ever: several nurses draw from the same vial at the same moment, each in
their own thread with their own database connection. The vial's row is locked for the
whole draw (select_for_update on PostgreSQL; SQLite's write transactions queue), so
each sees the balance the one before left, and exactly as many draws succeed as the
vial holds; the rest are told how much is left. The ledger adds up afterwards.
"""

import threading

import pytest
from django.db import connection

from dendrite.conftest import make_patient, make_user
from dendrite.controlled import actions, balances
from dendrite.controlled.models import Movement, Vial

from .conftest import D, infusion_for, receive

pytestmark = pytest.mark.django_db(transaction=True)

CALLERS = 8


def test_concurrent_draws_from_one_vial_never_overdraw_it(boston):
    nurses = [make_user(f"nurse{n}", "nurse", boston) for n in range(CALLERS)]
    witness = make_user("witness", "prescriber", boston)
    patient = make_patient(boston, "Patient", "Concurrent")
    appointment = infusion_for(patient, nurses[0])
    vial = receive(boston, witness, vials=1).vials.get()  # 10 mL: room for five 2 mL draws
    barrier = threading.Barrier(CALLERS)
    outcomes: list[str] = []

    def draw(nurse) -> None:
        try:
            barrier.wait()
            actions.record_administration(
                vial=vial, drawn_ml=D("2.00"), given_ml=D("1.90"), wasted_ml=D("0.10"),
                by=nurse, witness=witness, appointment_id=appointment.pk,
                patient_id=patient.pk,
            )  # fmt: skip
            outcomes.append("drawn")
        except actions.Refused as refusal:
            outcomes.append(next(iter(refusal.errors)))
        finally:
            connection.close()

    threads = [threading.Thread(target=draw, args=[nurse]) for nurse in nurses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("drawn") == 5, outcomes
    assert outcomes.count("drawn_ml") == CALLERS - 5, outcomes  # "only 0.00 mL is left"
    assert Vial.objects.with_balance().get(pk=vial.pk).balance_ml == 0
    rows = Movement.objects.filter(vial=vial).order_by("seq")
    assert balances.check_ledger((m.change_ml, m.balance_after_ml) for m in rows) is None
    assert [m.seq for m in rows] == list(range(1, 7))
