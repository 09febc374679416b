"""A signed note is locked: the actions refuse a change, the model refuses to save one,
and the database refuses an UPDATE from any program. Corrections are addenda, added
beneath the note, which stays as signed."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from dendrite.notes import actions
from dendrite.notes.models import Addendum, LockedNote, Note

from .conftest import written

pytestmark = pytest.mark.django_db


def test_signing_locks_the_note_and_names_the_signer(signed, prescriber):
    note = Note.objects.get(pk=signed.pk)
    assert (note.status, note.signed_by, note.is_locked) == ("signed", prescriber, True)
    assert note.is_complete  # a consultation note needs no co-signature


def test_the_action_refuses_to_change_a_signed_note(signed, prescriber):
    with pytest.raises(actions.Refused, match="signed, so it cannot be changed"):
        actions.save_draft(signed, ["Changed."] * len(signed.sections), by=prescriber)
    with pytest.raises(actions.Refused, match="signed, so it cannot be changed"):
        actions.sign(signed, ["Changed."] * len(signed.sections), by=prescriber)
    assert "Changed." not in str(Note.objects.get(pk=signed.pk).sections)


def test_the_model_refuses_to_save_a_change_to_a_signed_note(signed):
    note = Note.objects.get(pk=signed.pk)
    note.sections[0]["text"] = "Rewritten after signing."
    with pytest.raises(LockedNote):
        note.save()
    with pytest.raises(LockedNote):
        note.delete()
    assert Note.objects.get(pk=signed.pk).sections[0]["text"] != "Rewritten after signing."


def test_the_database_refuses_an_update_of_a_signed_note(signed):
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Note.objects.filter(pk=signed.pk).update(sections=[{"heading": "X", "text": "Y"}])
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Note.objects.filter(pk=signed.pk).update(status="draft")
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE notes_note SET sections = '[]' WHERE id = %s", [signed.pk])
    assert Note.objects.get(pk=signed.pk).status == "signed"


def test_the_database_lets_a_draft_change(draft):
    Note.objects.filter(pk=draft.pk).update(sections=[{"heading": "H", "text": "T"}])
    assert Note.objects.get(pk=draft.pk).sections == [{"heading": "H", "text": "T"}]


def test_an_addendum_is_added_beneath_and_the_original_stays(signed, nurse):
    original = Note.objects.get(pk=signed.pk).sections
    addendum = actions.add_addendum(
        signed, by=nurse, reason="Correction", text="The blood pressure was 132/84, not 123/84."
    )
    note = Note.objects.get(pk=signed.pk)
    assert note.sections == original
    assert list(note.addenda.all()) == [addendum]
    assert (addendum.author, addendum.reason) == (nurse, "Correction")


def test_an_addendum_itself_cannot_be_changed(signed, nurse):
    addendum = actions.add_addendum(signed, by=nurse, reason="Late entry", text="Called back.")
    addendum.text = "Something else."
    with pytest.raises(LockedNote):
        addendum.save()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Addendum.objects.filter(pk=addendum.pk).update(text="Something else.")
    assert Addendum.objects.get().text == "Called back."


def test_a_draft_takes_no_addendum(draft, prescriber):
    with pytest.raises(actions.Refused, match="addenda are for signed notes"):
        actions.add_addendum(draft, by=prescriber, reason="Why", text="What")
    assert not Addendum.objects.exists()


def test_an_addendum_needs_a_reason_and_text(signed, prescriber):
    with pytest.raises(actions.Refused) as refused:
        actions.add_addendum(signed, by=prescriber, reason=" ", text="What")
    assert refused.value.field == "reason"
    assert not Addendum.objects.exists()


def test_only_the_author_signs(draft, prescriber, nurse):
    with pytest.raises(actions.Refused, match="Only the note's author"):
        actions.sign(draft, written(draft), by=nurse)
    assert Note.objects.get(pk=draft.pk).status == "draft"


def test_signing_refuses_an_empty_required_section(draft, prescriber):
    texts = written(draft)
    texts[1] = "   "
    with pytest.raises(actions.Refused) as refused:
        actions.sign(draft, texts, by=prescriber)
    assert refused.value.field == "section_1"
    assert Note.objects.get(pk=draft.pk).status == "draft"
