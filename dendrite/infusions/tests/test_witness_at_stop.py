"""The stop records the draw in the controlled-substance log: the drawer is whoever drew
the dose (chosen; by default the preparer), and a waste is witnessed by a second
clinician who types their own authenticator code, never just a name picked from a list.
A witness who is the drawer is refused; nothing is half-saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import current_code, make_user, signed_in
from dendrite.controlled.models import Movement
from dendrite.infusions import actions
from dendrite.infusions.models import Infusion

from .conftest import running

pytestmark = pytest.mark.django_db
D = Decimal


def stop_post(**extra: object) -> dict[str, object]:
    data = {"reason": "patient_request", "note": "Asked to stop", "infused_ml": "3"} | extra
    return {f"stop-{key}": value for key, value in data.items()}


def stop(client, visit, **extra: object):
    return client.post(reverse("infusions:stop", args=[visit.pk]), stop_post(**extra))


def still_running() -> bool:
    infusion = Infusion.objects.get()
    nothing_drawn = not Movement.objects.filter(kind="administered").exists()
    return infusion.stage == "running" and infusion.stopped_at is None and nothing_drawn


def test_a_waste_witnessed_with_the_witness_own_code_is_recorded(
    visit, order, nurse, nurse_two, prescriber
):
    running(visit, nurse, nurse_two, order)
    response = stop(
        signed_in(nurse), visit, drawn_by=nurse.pk, witness=prescriber.pk,
        witness_code=current_code(prescriber),
    )  # fmt: skip
    assert response.status_code == 302
    (draw,) = Movement.objects.filter(kind="administered")
    assert (draw.by, draw.witness, draw.wasted_ml) == (nurse, prescriber, D("1.00"))
    assert AuditEvent.objects.filter(action="controlled.witness.confirmed").exists()


def test_the_drawer_is_who_drew_not_necessarily_who_prepared(
    visit, order, nurse, nurse_two, prescriber
):
    running(visit, nurse, nurse_two, order)  # nurse prepared, nurse_two checked
    stop(
        signed_in(nurse), visit, drawn_by=prescriber.pk, witness=nurse_two.pk,
        witness_code=current_code(nurse_two),
    )  # fmt: skip
    (draw,) = Movement.objects.filter(kind="administered")
    assert (draw.by, draw.witness) == (prescriber, nurse_two)


def test_a_waste_with_a_witness_named_but_no_code_is_refused_and_nothing_saved(
    visit, order, nurse, nurse_two
):
    running(visit, nurse, nurse_two, order)
    response = stop(signed_in(nurse), visit, drawn_by=nurse.pk, witness=nurse_two.pk)
    assert response.status_code == 200
    form = response.context["page"].forms["stop"]
    assert "their own six-digit code" in " ".join(form.errors["witness_code"])
    assert form["infused_ml"].value() == "3"  # what was typed is kept
    assert still_running()


def test_a_wrong_code_is_refused_and_audited_as_a_failure(visit, order, nurse, nurse_two):
    running(visit, nurse, nurse_two, order)
    wrong = f"{(int(current_code(nurse_two)) + 1) % 1000000:06d}"
    response = stop(
        signed_in(nurse), visit, drawn_by=nurse.pk, witness=nurse_two.pk, witness_code=wrong
    )
    errors = response.context["page"].forms["stop"].errors["witness_code"]
    assert "did not work for the witness" in " ".join(errors)
    assert AuditEvent.objects.filter(action="controlled.witness.failed").exists()
    assert still_running()


def test_the_drawer_cannot_witness_their_own_waste(visit, order, nurse, nurse_two):
    running(visit, nurse, nurse_two, order)
    response = stop(
        signed_in(nurse_two), visit, drawn_by=nurse_two.pk, witness=nurse_two.pk,
        witness_code=current_code(nurse_two),
    )  # fmt: skip
    errors = response.context["page"].forms["stop"].errors["witness"]
    assert "someone other than the person who drew the dose" in " ".join(errors)
    assert still_running()
    infusion = Infusion.objects.get()
    with pytest.raises(actions.Refused, match="someone other than the person who drew") as no:
        actions.stop(
            infusion, by=nurse, reason="completed", note="", infused_ml=D("3"),
            drawn_by=nurse_two, witness=nurse_two, witness_confirmed=True,
        )  # fmt: skip
    assert no.value.field == "witness" and still_running()


def test_a_waste_without_any_witness_is_refused(visit, order, nurse, nurse_two):
    infusion = running(visit, nurse, nurse_two, order)
    with pytest.raises(actions.Refused, match=r"1\.00 mL of the dose drawn is left over"):
        actions.stop(infusion, by=nurse, reason="completed", note="", infused_ml=D("3"))
    assert still_running()


def test_a_witness_from_another_location_is_not_offered(visit, order, nurse, nurse_two, hartford):
    running(visit, nurse, nurse_two, order)
    elsewhere = make_user("hal_hartford", "nurse", hartford)
    response = stop(
        signed_in(nurse), visit, drawn_by=nurse.pk, witness=elsewhere.pk,
        witness_code=current_code(elsewhere),
    )  # fmt: skip
    assert "witness" in response.context["page"].forms["stop"].errors
    assert still_running()


def test_nothing_wasted_needs_no_code_and_names_the_double_checker(visit, order, nurse, nurse_two):
    running(visit, nurse, nurse_two, order)
    response = stop(signed_in(nurse), visit, infused_ml="4", drawn_by=nurse.pk)
    assert response.status_code == 302
    (draw,) = Movement.objects.filter(kind="administered")
    assert (draw.by, draw.witness, draw.wasted_ml) == (nurse, nurse_two, D(0))


def test_the_stop_form_offers_the_preparer_and_the_checker_by_default(
    visit, order, nurse, nurse_two
):
    running(visit, nurse, nurse_two, order)
    page = signed_in(nurse).get(reverse("infusions:chairside", args=[visit.pk]))
    form = page.context["page"].forms["stop"]
    assert (form["drawn_by"].value(), form["witness"].value()) == (nurse.pk, nurse_two.pk)
    html = page.content.decode()
    assert "The witness&#x27;s own six-digit code" in html or "own six-digit code" in html
    assert 'autocomplete="one-time-code"' in html  # never kept in a draft
