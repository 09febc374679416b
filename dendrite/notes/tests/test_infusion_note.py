"""The infusion note: started from the chairside page once the patient is discharged,
built from the record (every figure with its unit, the vital signs as a table and an
SVG chart), signed by the nurse, complete only once a prescriber co-signs it; the record
is copied in at signing, so a later change to it does not change the note."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dendrite.conftest import current_code, signed_in
from dendrite.infusions import actions as infusions
from dendrite.infusions.models import Infusion
from dendrite.infusions.tests.conftest import GOOD_VITALS, nurse_two, order, running, visit
from dendrite.notes import actions
from dendrite.notes.models import Note

pytestmark = pytest.mark.django_db
__all__ = ["nurse_two", "order", "visit"]  # fixtures from the infusion cast
ALDRETE = {k: 2 for k in ("activity", "respiration", "circulation", "consciousness", "spo2")}


@pytest.fixture
def discharged(visit, order, nurse, nurse_two):
    infusion = running(visit, nurse, nurse_two, order)
    infusions.record_vitals(infusion, by=nurse, values=GOOD_VITALS | {"systolic": Decimal(131)})
    infusion = Infusion.objects.get()
    infusions.stop(infusion, by=nurse, reason="completed", note="", infused_ml=Decimal("4.00"))
    infusion = Infusion.objects.get()
    infusions.record_vitals(infusion, by=nurse, values=GOOD_VITALS | {"systolic": Decimal(126)})
    infusions.discharge(Infusion.objects.get(), by=nurse, answers=ALDRETE, escort_present=True)
    return Infusion.objects.get()


def start(visit, user):
    return signed_in(user).post(reverse("infusions:note", args=[visit.pk]))


def test_the_chairside_page_offers_the_note_once_discharged(visit, discharged, nurse):
    page = signed_in(nurse).get(reverse("infusions:chairside", args=[visit.pk]))
    assert "Write the infusion note" in page.content.decode()
    response = start(visit, nurse)
    note = Note.objects.get()
    assert response.url == reverse("notes:note", args=[note.pk])
    assert (note.kind, note.author, note.appointment, note.status) == (
        "infusion", nurse, visit, "draft"
    )  # fmt: skip
    page = signed_in(nurse).get(reverse("infusions:chairside", args=[visit.pk]))
    assert "Open the infusion note" in page.content.decode()
    start(visit, nurse)
    assert Note.objects.count() == 1  # one note per infusion


def test_no_note_before_discharge(visit, order, nurse, nurse_two):
    running(visit, nurse, nurse_two, order)
    assert start(visit, nurse).status_code == 404
    assert not Note.objects.exists()


def test_prescribers_and_front_desk_do_not_start_it(visit, discharged, prescriber, front_desk):
    for user in (prescriber, front_desk):
        assert start(visit, user).status_code in (403, 404)
    assert not Note.objects.exists()


def test_the_record_carries_every_figure_with_its_unit(visit, discharged, nurse):
    start(visit, nurse)
    page = signed_in(nurse).get(reverse("notes:note", args=[Note.objects.get().pk]))
    html = page.content.decode()
    for shown in ("0.50 mg/kg", "40 minutes", "10.00 mg/mL", "40.00 mg", "4.00 mL",
                  "Independent check", "Agreed", "Modified Aldrete score", "10 of 10",
                  "Systolic blood pressure (mmHg)", "Infusion completed"):  # fmt: skip
        assert shown in html, shown
    assert "<svg" in html and "<polyline" in html
    # The chart's points are the table's numbers: 131 in both.
    assert "<td>131.0</td>" in html or "<td>131</td>" in html
    assert re.search(r"Systolic blood pressure \(mmHg\): 131", html)


def test_the_nurse_signs_and_the_prescriber_co_signs(visit, discharged, nurse, prescriber):
    start(visit, nurse)
    note = Note.objects.get()
    url = reverse("notes:note", args=[note.pk])
    post = {"section_0": "Tolerated well.", "sign": "1", "code": current_code(nurse)}
    assert signed_in(nurse).post(url, post).status_code == 302
    note.refresh_from_db()
    assert (note.status, note.status_label, note.is_complete) == (
        "signed", "Awaiting co-signature", False
    )  # fmt: skip
    cosign = reverse("notes:cosign", args=[note.pk])
    response = signed_in(prescriber).post(cosign, {})
    assert response.status_code == 400  # the prescriber's own code, asked again
    assert Note.objects.get().status == "signed"
    response = signed_in(prescriber).post(cosign, {"code": current_code(prescriber)})
    note.refresh_from_db()
    assert response.status_code == 302
    assert (note.status, note.cosigned_by, note.is_complete) == ("cosigned", prescriber, True)


def test_the_author_and_nurses_do_not_co_sign(visit, discharged, nurse, nurse_two):
    start(visit, nurse)
    note = actions.sign(Note.objects.get(), ["Tolerated well."], by=nurse)
    with pytest.raises(actions.Refused, match="Only a prescriber"):
        actions.cosign(note, by=nurse_two)
    assert signed_in(nurse_two).post(reverse("notes:cosign", args=[note.pk]), {}).status_code in (
        403, 404,
    )  # fmt: skip
    assert Note.objects.get().status == "signed"


def test_a_draft_is_not_co_signed(visit, discharged, nurse, prescriber):
    start(visit, nurse)
    with pytest.raises(actions.Refused, match="signs the note first"):
        actions.cosign(Note.objects.get(), by=prescriber)


def test_the_signed_note_keeps_the_record_as_it_was(visit, discharged, nurse):
    start(visit, nurse)
    note = actions.sign(Note.objects.get(), ["Tolerated well."], by=nurse)
    signed_record = note.record
    Infusion.objects.filter(pk=discharged.pk).update(escort_name="Someone Else")
    note.refresh_from_db()
    assert note.record == signed_record
    assert "Someone Else" not in str(note.record)


def test_signing_copies_the_record_as_it_stands_then(visit, discharged, nurse):
    start(visit, nurse)
    Infusion.objects.filter(pk=discharged.pk).update(escort_name="Sam Corrected")
    note = actions.sign(Note.objects.get(), ["Tolerated well."], by=nurse)
    assert "Sam Corrected" in str(note.record)


def test_another_locations_nurse_gets_a_404(visit, discharged, nurse, hartford):
    from dendrite.accounts.models import Role
    from dendrite.conftest import make_user

    other = make_user("hal_nurse", Role.NURSE, hartford)
    start(visit, nurse)
    assert start(visit, other).status_code == 404
    url = reverse("notes:note", args=[Note.objects.get().pk])
    assert signed_in(other).get(url).status_code == 404
