"""The clinic edits its note templates: each save is a new version, notes already
written keep theirs, and bad input is refused with nothing saved."""

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.notes import actions
from dendrite.notes.models import NoteTemplate

from .conftest import written

pytestmark = pytest.mark.django_db
URL = reverse("notes:template_edit", args=["consultation"])


def formset_post(sections, **extra):
    data = {"sections-TOTAL_FORMS": str(len(sections)), "sections-INITIAL_FORMS": "0",
            "sections-MIN_NUM_FORMS": "0", "sections-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for i, section in enumerate(sections):
        for key, value in section.items():
            data[f"sections-{i}-{key}"] = value
        data[f"sections-{i}-ORDER"] = str(i + 1)
    return data | extra


NEW = [
    {"heading": "Reason for referral", "prompt": "Who sent the patient and why.", "text": "",
     "fill": "", "required": "on"},
    {"heading": "Risk", "prompt": "", "text": "", "fill": "risk", "required": "on"},
]  # fmt: skip


def test_a_prescriber_saves_a_new_version(prescriber, boston):
    response = signed_in(prescriber).post(URL, formset_post(NEW))
    assert response.status_code == 302
    template = NoteTemplate.objects.get(kind="consultation", is_current=True)
    assert template.version == 2
    assert [s["heading"] for s in template.sections] == ["Reason for referral", "Risk"]
    assert template.sections[1]["fill"] == "risk"
    assert NoteTemplate.objects.filter(kind="consultation").count() == 2


def test_a_clinic_admin_edits_templates_and_a_nurse_does_not(clinic_admin, nurse):
    assert signed_in(clinic_admin).get(URL).status_code == 200
    assert signed_in(nurse).get(URL).status_code in (403, 404)
    assert signed_in(nurse).post(URL, formset_post(NEW)).status_code in (403, 404)
    assert not NoteTemplate.objects.filter(version=2).exists()


def test_editing_a_template_never_changes_a_note_already_written(signed, prescriber):
    before = list(signed.sections)
    signed_in(prescriber).post(URL, formset_post(NEW))
    signed.refresh_from_db()
    assert signed.sections == before
    assert signed.template.version == 1
    assert signed.template.sections[0]["heading"] == "History"


def test_a_new_note_follows_the_new_version(consult, prescriber):
    signed_in(prescriber).post(URL, formset_post(NEW))
    note = actions.start_note(consult.patient, "consultation", by=prescriber)
    assert [s["heading"] for s in note.sections] == ["Reason for referral", "Risk"]
    assert "Low suicide risk" in note.sections[1]["text"]
    assert note.template.version == 2
    actions.sign(note, written(note), by=prescriber)


def test_a_section_without_a_heading_is_refused_and_nothing_saved(prescriber, boston):
    bad = [dict(NEW[0], heading=""), NEW[1]]
    response = signed_in(prescriber).post(URL, formset_post(bad))
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["heading"] == [
        "Please give the section a heading."
    ]
    assert not NoteTemplate.objects.filter(version=2).exists()


def test_removing_every_section_is_refused(prescriber, boston):
    post = formset_post(NEW, **{"sections-0-DELETE": "on", "sections-1-DELETE": "on"})
    response = signed_in(prescriber).post(URL, post)
    assert response.status_code == 400
    assert "at least one section" in response.content.decode()
    assert not NoteTemplate.objects.filter(version=2).exists()


def test_the_list_shows_each_kind_in_words(prescriber, boston):
    page = signed_in(prescriber).get(reverse("notes:templates")).content.decode()
    for label in ("Consultation note", "Follow-up note", "Infusion note"):
        assert label in page
    assert "follow_up" not in page.replace('/follow_up/"', "")
