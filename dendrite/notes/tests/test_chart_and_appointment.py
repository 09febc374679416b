"""Notes on the chart (a section plugged in by notes) and on the appointment's page (a
panel plugged into scheduling): their status in words, a constant number of queries
however many notes, front desk seeing that a note exists but never opening it."""

import pytest
from django.urls import reverse

from dendrite.conftest import query_count, signed_in
from dendrite.notes import actions
from dendrite.notes.chart import patient_notes

from .conftest import written

pytestmark = pytest.mark.django_db


def chart(user, patient):
    return signed_in(user).get(reverse("patients:chart", args=[patient.pk])).content.decode()


def test_the_chart_lists_notes_with_their_status(signed, prescriber, nurse):
    actions.start_note(signed.patient, "follow_up", by=prescriber)
    page = chart(nurse, signed.patient)
    assert 'id="notes"' in page
    assert "Consultation note" in page
    assert "Draft" in page and "Signed" in page
    assert reverse("notes:note", args=[signed.pk]) in page


def test_front_desk_sees_that_a_note_exists_but_no_link(signed, front_desk):
    page = chart(front_desk, signed.patient)
    assert "Consultation note" in page
    assert reverse("notes:note", args=[signed.pk]) not in page
    assert "Written." not in page


def test_an_infusion_note_awaits_its_co_signature(charted, nurse, prescriber):
    from dendrite.notes.models import Note

    note = Note.objects.create(patient=charted, location=charted.location, kind="infusion",
                               sections=[{"heading": "Summary", "text": "", "required": True}],
                               author=nurse)  # fmt: skip
    actions.sign(note, ["Tolerated well."], by=nurse)
    assert "Awaiting co-signature" in chart(prescriber, charted)


def test_the_chart_section_takes_the_same_queries_for_more_notes(consult, prescriber):
    def add(count):
        for _ in range(count):
            note = actions.start_note(consult.patient, "consultation", by=prescriber)
            actions.sign(note, written(note), by=prescriber)
            actions.add_addendum(note, by=prescriber, reason="Late entry", text="More.")

    add(1)
    few = query_count(lambda: patient_notes(consult.patient, prescriber))
    add(6)
    assert query_count(lambda: patient_notes(consult.patient, prescriber)) == few


def test_the_appointment_page_offers_the_consultation_note_to_prescribers(
    consult, prescriber, nurse, front_desk
):
    url = reverse("scheduling:appointment", args=[consult.pk])
    page = signed_in(prescriber).get(url).content.decode()
    assert "Write consultation note" in page
    assert "No notes for this visit yet." in page
    for user in (nurse, front_desk):
        assert "Write consultation note" not in signed_in(user).get(url).content.decode()


def test_the_appointment_page_lists_its_notes(signed, front_desk, nurse):
    url = reverse("scheduling:appointment", args=[signed.appointment_id])
    page = signed_in(nurse).get(url).content.decode()
    assert "Consultation note" in page and reverse("notes:note", args=[signed.pk]) in page
    page = signed_in(front_desk).get(url).content.decode()
    assert "Consultation note" in page and reverse("notes:note", args=[signed.pk]) not in page


def test_a_follow_up_visit_offers_the_follow_up_note(charted, prescriber):
    from dendrite.scheduling.models import Kind
    from dendrite.scheduling.tests.conftest import make_appointment

    from .conftest import NOW

    visit = make_appointment(charted, Kind.FOLLOW_UP, NOW, prescriber)
    page = signed_in(prescriber).get(reverse("scheduling:appointment", args=[visit.pk]))
    assert "Write follow-up note" in page.content.decode()
