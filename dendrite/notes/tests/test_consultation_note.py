"""A prescriber writes a consultation note from the appointment: prefilled from the
template and the chart, signed with their own code; bad input is refused field by field
with nothing saved; and only nurses and prescribers of the location read it."""

import pytest
from django.test import Client
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import current_code, signed_in
from dendrite.notes.models import Note

from .conftest import form_data

pytestmark = pytest.mark.django_db


def new_url(consult, kind="consultation"):
    url = reverse("notes:new", args=[consult.patient_id, kind])
    return f"{url}?appointment={consult.pk}"


def test_the_new_note_is_prefilled_from_the_chart(consult, prescriber):
    response = signed_in(prescriber).get(new_url(consult))
    assert response.status_code == 200
    form = response.context["form"]
    texts = {field.label: str(field.value()) for field in form.section_fields}
    assert "C-SSRS screener on Fri, Dec 4, 2026: Low suicide risk." in texts["Risk assessment"]
    assert "No safety alerts." in texts["Risk assessment"]
    contraindications = texts["Contraindications reviewed"]
    assert "Severe or uncontrolled high blood pressure" in contraindications
    assert "(On amlodipine, 132/84 today)" in contraindications
    assert "Raised pressure in the eye (glaucoma)" in contraindications
    assert "Arteriovenous malformation" not in contraindications  # answered "no"
    assert "hypertension" not in contraindications  # labels, never codes
    assert "signed off by Priya Tester" in contraindications
    medicines = texts["Current medications and allergies"]
    assert "Sertraline 100 mg, once a day" in medicines
    assert "Penicillin: Rash (Mild)" in medicines
    assert "Off-label use" in texts["Informed consent discussion"]
    assert not Note.objects.exists()  # nothing is written until the prescriber saves


def test_the_prescriber_signs_with_their_own_code(consult, prescriber):
    client = signed_in(prescriber)
    sections = client.get(new_url(consult)).context["form"].sections
    data = form_data(sections, sign="1", code=current_code(prescriber))
    response = client.post(new_url(consult), data)
    note = Note.objects.get()
    assert response.status_code == 302
    assert (note.status, note.signed_by, note.appointment) == ("signed", prescriber, consult)
    assert note.template.version == 1
    assert AuditEvent.objects.filter(action="notes.note.sign", object_id=str(note.pk)).exists()
    page = client.get(reverse("notes:note", args=[note.pk])).content.decode()
    assert "Signed" in page and "Save the draft" not in page


def test_signing_without_the_code_is_refused_and_nothing_saved(consult, prescriber):
    client = signed_in(prescriber)
    sections = client.get(new_url(consult)).context["form"].sections
    response = client.post(new_url(consult), form_data(sections, sign="1"))
    assert response.status_code == 400
    assert "six-digit code" in response.context["form"].errors["code"][0]
    assert "Written." in response.content.decode()  # what was typed is kept
    assert not Note.objects.exists()


def test_a_wrong_code_is_refused(consult, prescriber):
    client = signed_in(prescriber)
    sections = client.get(new_url(consult)).context["form"].sections
    response = client.post(new_url(consult), form_data(sections, sign="1", code="000000"))
    assert response.status_code == 400
    assert "That code did not work" in response.context["form"].errors["code"][0]
    assert not Note.objects.exists()


def test_empty_required_sections_get_a_message_each_and_nothing_is_saved(consult, prescriber):
    client = signed_in(prescriber)
    sections = client.get(new_url(consult)).context["form"].sections
    data = form_data(sections, sign="1", code=current_code(prescriber))
    data["section_0"] = data["section_1"] = ""
    response = client.post(new_url(consult), data)
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["section_0"] == ["Please write the “History” section to sign."]
    assert errors["section_1"] == ["Please write the “Mental status examination” section to sign."]
    assert not Note.objects.exists()


def test_a_draft_may_be_saved_half_written_and_opened_again(consult, prescriber):
    client = signed_in(prescriber)
    sections = client.get(new_url(consult)).context["form"].sections
    data = form_data(sections, save="1")
    data["section_0"] = ""
    client.post(new_url(consult), data)
    note = Note.objects.get()
    assert note.status == "draft"
    assert client.get(new_url(consult)).url == reverse("notes:note", args=[note.pk])
    data = form_data(note, sign="1", code=current_code(prescriber))
    data["section_0"] = "Treatment-resistant depression since 2019."
    response = client.post(reverse("notes:note", args=[note.pk]), data)
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.status, note.sections[0]["text"]) == (
        "signed", "Treatment-resistant depression since 2019."
    )  # fmt: skip


def test_a_follow_up_note_uses_the_same_machinery(charted, prescriber):
    client = signed_in(prescriber)
    url = reverse("notes:new", args=[charted.pk, "follow_up"])
    sections = client.get(url).context["form"].sections
    assert [s["heading"] for s in sections][:3] == [
        "Interval history", "Current measures", "Side effects"
    ]  # fmt: skip
    client.post(url, form_data(sections, sign="1", code=current_code(prescriber)))
    assert Note.objects.get().kind == "follow_up"


def test_nurses_and_front_desk_do_not_write_consultation_notes(consult, nurse, front_desk):
    for user in (nurse, front_desk):
        response = signed_in(user).get(new_url(consult))
        assert response.status_code in (403, 404)


def test_anonymous_visitors_are_sent_to_sign_in(signed):
    response = Client().get(reverse("notes:note", args=[signed.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_nurses_read_a_note_and_front_desk_cannot(signed, nurse, front_desk):
    url = reverse("notes:note", args=[signed.pk])
    assert signed_in(nurse).get(url).status_code == 200
    assert signed_in(front_desk).get(url).status_code in (403, 404)
    assert "Written." not in signed_in(front_desk).get(url).content.decode()


def test_another_locations_prescriber_gets_a_404_audited(signed, prescriber_hartford):
    response = signed_in(prescriber_hartford).get(reverse("notes:note", args=[signed.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="notes.note.read", object_id=str(signed.pk), outcome="denied"
    ).exists()


def test_another_locations_patient_cannot_get_a_note(charlie, prescriber):
    url = reverse("notes:new", args=[charlie.pk, "consultation"])
    assert signed_in(prescriber).get(url).status_code == 404


def test_an_addendum_on_the_page_keeps_the_original(signed, nurse):
    client = signed_in(nurse)
    url = reverse("notes:addendum", args=[signed.pk])
    response = client.post(url, {"reason": "", "text": ""})
    assert response.status_code == 400
    assert response.context["forms"]["addendum"].errors["reason"]
    client.post(url, {"reason": "Correction", "text": "Seen again at 3 PM."})
    page = client.get(reverse("notes:note", args=[signed.pk])).content.decode()
    assert "Seen again at 3 PM." in page and signed.sections[0]["text"] in page


def test_reading_a_note_is_audited(signed, nurse):
    signed_in(nurse).get(reverse("notes:note", args=[signed.pk]))
    assert AuditEvent.objects.filter(
        action="notes.note.read", object_id=str(signed.pk), actor_id=nurse.pk
    ).exists()


def test_signing_a_draft_on_its_page_without_the_code_keeps_what_was_typed(draft, prescriber):
    url = reverse("notes:note", args=[draft.pk])
    data = form_data(draft, sign="1")
    data["section_0"] = "Typed before the refusal."
    response = signed_in(prescriber).post(url, data)
    assert response.status_code == 400
    assert "six-digit code" in response.context["forms"]["note"].errors["code"][0]
    assert "Typed before the refusal." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.sections[0]["text"]) == ("draft", "")
