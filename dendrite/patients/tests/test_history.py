"""The ketamine medical history (CLINICAL.md §3.2) and its sign-off by a prescriber."""

import pytest

from dendrite.conftest import signed_in
from dendrite.patients import history_items
from dendrite.patients.models import HistoryAnswer, HistorySignOff

from .conftest import audited, url

pytestmark = pytest.mark.django_db


def answers(**changes: str) -> dict[str, str]:
    """Every item answered "no", except the ones given."""
    data = {}
    for item in history_items.ITEMS:
        data[f"{item.code}-answer"] = changes.get(item.code, "no")
        data[f"{item.code}-note"] = ""
    return data


def current_sign_off(patient):
    return HistorySignOff.objects.filter(patient=patient, cleared_at__isnull=True).first()


def test_the_history_lists_every_contraindication_of_clinical_md(nurse, alice):
    page = signed_in(nurse).get(url("history_edit", alice)).content.decode()
    for item in history_items.ITEMS:
        assert item.text in page
    assert "Raised pressure in the eye (glaucoma)" in page
    assert "Pregnancy, breastfeeding or IVF" in page


def test_a_nurse_records_the_history_with_a_note(nurse, alice):
    data = answers(glaucoma="yes") | {"glaucoma-note": "Treated; ophthalmologist letter awaited"}
    response = signed_in(nurse).post(url("history_edit", alice), data)
    assert response.status_code == 302 and response.url.endswith("#history")
    glaucoma = HistoryAnswer.objects.get(patient=alice, item="glaucoma")
    assert (glaucoma.answer, glaucoma.updated_by) == ("yes", nurse)
    assert HistoryAnswer.objects.count() == len(history_items.ITEMS)
    [event] = audited("patients.history.change")
    assert event.detail == {"changed": len(history_items.ITEMS), "sign_off_cleared": False}


def test_every_item_must_be_answered_and_what_was_given_is_kept(nurse, alice):
    data = answers(glaucoma="yes")
    del data["psychosis-answer"]
    data["mania-note"] = "One episode in 2019"
    response = signed_in(nurse).post(url("history_edit", alice), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "psychosis-answer": ["Please answer yes, no or not known."]
    }
    page = response.content.decode()
    assert 'value="One episode in 2019"' in page
    assert 'id="id_psychosis-answer_error"' in page
    assert not HistoryAnswer.objects.exists()


def test_a_prescriber_signs_off_the_answered_history(prescriber, alice):
    client = signed_in(prescriber)
    client.post(url("history_edit", alice), answers())
    response = client.post(url("history_sign_off", alice))
    assert response.status_code == 302
    sign_off = current_sign_off(alice)
    assert sign_off.signed_by == prescriber and sign_off.items_version == history_items.VERSION
    assert audited("patients.history.sign_off")[0].patient_id == str(alice.pk)
    assert "Signed off by" in client.get(url("chart", alice)).content.decode()


def test_an_unanswered_history_cannot_be_signed_off(prescriber, alice):
    response = signed_in(prescriber).post(url("history_sign_off", alice), follow=True)
    assert "Every item of the history needs an answer" in response.content.decode()
    assert not HistorySignOff.objects.exists()


def test_a_second_sign_off_is_refused_while_the_first_stands(prescriber, alice):
    client = signed_in(prescriber)
    client.post(url("history_edit", alice), answers())
    client.post(url("history_sign_off", alice))
    response = client.post(url("history_sign_off", alice), follow=True)
    assert "already signed off" in response.content.decode()
    assert HistorySignOff.objects.count() == 1


def test_a_sign_off_of_an_older_list_of_items_no_longer_counts_and_is_replaced(prescriber, alice):
    client = signed_in(prescriber)
    client.post(url("history_edit", alice), answers())
    client.post(url("history_sign_off", alice))
    HistorySignOff.objects.update(items_version="2025-1")  # the list has changed since
    page = client.get(url("chart", alice)).content.decode()
    assert "Not signed off." in page and "Sign off the medical history" in page
    client.post(url("history_sign_off", alice))
    old, new = HistorySignOff.objects.order_by("id")
    assert old.cleared_at is not None and old.cleared_by == prescriber
    assert new.cleared_at is None and new.items_version == history_items.VERSION
    assert "Signed off by" in client.get(url("chart", alice)).content.decode()


def test_only_a_prescriber_may_sign_off(nurse, front_desk, alice):
    signed_in(nurse).post(url("history_edit", alice), answers())
    assert signed_in(nurse).post(url("history_sign_off", alice)).status_code == 403
    assert signed_in(front_desk).post(url("history_sign_off", alice)).status_code == 403
    assert not HistorySignOff.objects.exists()


def test_a_nurse_sees_no_sign_off_button(nurse, alice):
    signed_in(nurse).post(url("history_edit", alice), answers())
    page = signed_in(nurse).get(url("chart", alice)).content.decode()
    assert "Sign off the medical history" not in page


def test_editing_an_item_after_sign_off_clears_the_sign_off(prescriber, nurse, alice):
    signed_in(prescriber).post(url("history_edit", alice), answers())
    signed_in(prescriber).post(url("history_sign_off", alice))
    response = signed_in(nurse).post(
        url("history_edit", alice), answers(pregnancy="yes"), follow=True
    )
    assert "It now needs a new sign-off by a prescriber." in response.content.decode()
    assert current_sign_off(alice) is None
    cleared = HistorySignOff.objects.get()
    assert cleared.cleared_by == nurse and cleared.cleared_at is not None  # kept, not deleted
    assert audited("patients.history.change")[-1].detail == {"changed": 1, "sign_off_cleared": True}


def test_saving_the_same_answers_again_keeps_the_sign_off(prescriber, alice):
    client = signed_in(prescriber)
    client.post(url("history_edit", alice), answers())
    client.post(url("history_sign_off", alice))
    client.post(url("history_edit", alice), answers())
    assert current_sign_off(alice) is not None


def test_a_changed_note_alone_clears_the_sign_off(prescriber, alice):
    client = signed_in(prescriber)
    client.post(url("history_edit", alice), answers())
    client.post(url("history_sign_off", alice))
    client.post(url("history_edit", alice), answers() | {"epilepsy-note": "Febrile seizure aged 3"})
    assert current_sign_off(alice) is None


def test_front_desk_cannot_open_the_history(front_desk, alice):
    assert signed_in(front_desk).get(url("history_edit", alice)).status_code == 403


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    client = signed_in(prescriber_hartford)
    assert client.post(url("history_edit", alice), answers()).status_code == 404
    assert client.post(url("history_sign_off", alice)).status_code == 404
    assert not HistoryAnswer.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.post(url("history_edit", alice), answers()).status_code == 302
    assert client.post(url("history_sign_off", alice)).status_code == 302
