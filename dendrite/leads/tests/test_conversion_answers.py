"""Every screening answer reaches the chart item it belongs to, and the chart never says
what the person did not say: a "no" that covered only part of an item, or an empty box,
never becomes "No"; a "yes" to a question wider than the item becomes "Not known"."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from dendrite.conftest import signed_in
from dendrite.leads.conversion import CARRIED, EXACT, MEDICINE_CODES, PART, history_answers
from dendrite.leads.models import Lead
from dendrite.patients import history_items
from dendrite.patients.models import HistoryAnswer, Patient
from dendrite.screening.questions import HEALTH_QUESTIONS, MEDICATIONS

ON = dt.date(2026, 11, 20)
YES, NO, UNKNOWN = "yes", "no", "unknown"
HEART = ("arrhythmia", "cerebrovascular", "aneurysm", "avm", "brain-bleed")

# Health question → {answer given: {chart item: chart answer}}, only that question answered.
HEALTH = {
    "blood_pressure": {"yes": {"hypertension": YES}, "no": {"hypertension": NO}},
    # one question, several items: a "yes" cannot say which; a "no" answers them all
    "heart_vascular": {"yes": dict.fromkeys(HEART, UNKNOWN), "no": dict.fromkeys(HEART, NO)},
    "raised_pressure": {
        "yes": {"intracranial-pressure": UNKNOWN, "glaucoma": UNKNOWN},
        "no": {"intracranial-pressure": NO, "glaucoma": NO},
    },
    "seizures": {"yes": {"epilepsy": YES}, "no": {"epilepsy": NO}},
    "psychosis_mania": {
        "yes": {"psychosis": UNKNOWN, "mania": UNKNOWN},
        "no": {"psychosis": NO, "mania": NO},
    },
    "pregnancy": {"yes": {"pregnancy": YES}, "no": {"pregnancy": NO}},
    # asks about ketamine and PCP only; the item also covers opioids, intoxication, withdrawal
    "ketamine_misuse": {
        "yes": {"intoxication-or-opioids": UNKNOWN},
        "no": {"intoxication-or-opioids": UNKNOWN},
    },
    "ketamine_allergy": {"yes": {"hypersensitivity": YES}, "no": {"hypersensitivity": NO}},
    "ketamine_reaction": {"yes": {"ketamine-reaction": YES}, "no": {"ketamine-reaction": NO}},
    "liver": {"yes": {"liver-disease": YES}, "no": {"liver-disease": NO}},
    "hyperthyroidism": {"yes": {"hyperthyroidism": YES}, "no": {"hyperthyroidism": NO}},
    "alcohol_withdrawal": {"yes": {"alcohol-withdrawal": YES}, "no": {"alcohol-withdrawal": NO}},
    "alcohol_24_hours": {"yes": {"alcohol-abstinence": YES}, "no": {"alcohol-abstinence": NO}},
}

# Medicine → {ticked?: {chart item: chart answer}}; an empty box is never a "no".
MEDICINES = {
    "benzodiazepines": {True: {"benzodiazepines": UNKNOWN}, False: {"benzodiazepines": UNKNOWN}},
    "opioids": {
        True: {"intoxication-or-opioids": UNKNOWN},
        False: {"intoxication-or-opioids": UNKNOWN},
    },
    "stimulants": {True: {"psychostimulants": YES}, False: {"psychostimulants": UNKNOWN}},
    "maois": {True: {"maois": YES}, False: {"maois": UNKNOWN}},
    "lamotrigine": {True: {"lamotrigine": YES}, False: {"lamotrigine": UNKNOWN}},
}


def answers_only(result: dict) -> dict:
    return {item: answer for item, (answer, _) in result.items()}


def test_every_health_question_and_medicine_is_carried_to_a_chart_item():
    assert set(HEALTH) == {question for question, _ in HEALTH_QUESTIONS}
    assert set(MEDICINES) == MEDICINE_CODES == {code for code, _ in MEDICATIONS}
    assert {carried.answer for carried in CARRIED} == set(HEALTH) | set(MEDICINES)
    assert {carried.item for carried in CARRIED} <= set(history_items.BY_CODE)


def test_the_new_items_have_a_source_or_say_they_are_clinic_configurable():
    for item in history_items.ITEMS:
        assert item.sources.startswith("§") or item.sources.startswith("clinic-configurable")
    assert history_items.VERSION == "2026-2"


@pytest.mark.parametrize(
    ("question", "said"), [(q, said) for q in HEALTH for said in ("yes", "no")]
)
def test_each_health_answer_reaches_its_items_and_only_them(question, said):
    result = history_answers({question: said}, None, ON)
    assert answers_only(result) == HEALTH[question][said]
    for _, note in result.values():
        assert note.startswith("Self-screening of 20 Nov 2026:")
        assert f"? {said.capitalize()}." in note  # what was said, in the note


@pytest.mark.parametrize("question", HEALTH)
def test_not_sure_leaves_every_item_of_the_question_not_known(question):
    result = history_answers({question: "not-sure"}, None, ON)
    assert set(result) == set(HEALTH[question]["yes"])
    assert {answer for answer, _ in result.values()} == {UNKNOWN}
    assert all("? Not sure." in note for _, note in result.values())


@pytest.mark.parametrize(
    ("medicine", "ticked"), [(m, ticked) for m in MEDICINES for ticked in (True, False)]
)
def test_each_medicine_tick_and_empty_box_reaches_its_item(medicine, ticked):
    result = history_answers({}, [medicine] if ticked else [], ON)
    [(item, expected)] = MEDICINES[medicine][ticked].items()
    answer, note = result[item]
    assert answer == expected
    assert ("Ticked." if ticked else "Not ticked.") in note
    if not ticked:
        assert "An empty box is not a no: ask." in note


def test_an_empty_list_of_medicines_never_says_no():
    result = history_answers({}, [], ON)
    assert {answer for answer, _ in result.values()} == {UNKNOWN}
    assert set(result) == {"benzodiazepines", "intoxication-or-opioids", "psychostimulants",
                           "maois", "lamotrigine"}  # fmt: skip


def test_without_the_treatment_step_the_medicines_say_nothing():
    assert history_answers({}, None, ON) == {}


def test_a_no_to_ketamine_misuse_is_not_a_no_to_opioids_when_an_opioid_is_ticked():
    # The example: the chart used to say "No" to this item here.
    result = history_answers({"ketamine_misuse": "no"}, ["opioids"], ON)
    answer, note = result["intoxication-or-opioids"]
    assert answer == UNKNOWN
    assert "Ever misused ketamine or PCP? No." in note
    assert "Takes an opioid medicine now? Ticked." in note
    assert "Not asked: acute intoxication or withdrawal" in note


def test_a_benzodiazepine_tick_asks_for_the_dose():
    answer, note = history_answers({}, ["benzodiazepines"], ON)["benzodiazepines"]
    assert answer == UNKNOWN and "Check the daily dose." in note


def test_a_yes_to_a_wider_question_says_to_ask_which_applies():
    answer, note = history_answers({"heart_vascular": "yes"}, None, ON)["aneurysm"]
    assert answer == UNKNOWN
    assert "The question covered more than this item: ask which applies." in note


def test_a_decided_item_is_still_to_be_confirmed():
    answer, note = history_answers({"liver": "yes"}, None, ON)["liver-disease"]
    assert (answer, note) == (
        YES,
        "Self-screening of 20 Nov 2026: Severe liver disease? Yes. To be confirmed.",
    )


@given(
    st.dictionaries(st.sampled_from(sorted(HEALTH)), st.sampled_from(["yes", "no", "not-sure"])),
    st.one_of(st.none(), st.lists(st.sampled_from(sorted(MEDICINES)), unique=True)),
)
def test_no_and_yes_only_ever_come_from_what_was_said_about_exactly_that_item(health, medicines):
    result = history_answers(health, medicines, ON)
    for item, (answer, note) in result.items():
        bearing = [c for c in CARRIED if c.item == item]
        assert len(note) <= 300 and not note.endswith("…")
        if answer == NO:  # every answer on it said no to all of it, none partial, no box
            assert all(
                c.answer in health and health[c.answer] == "no" and c.fit != PART for c in bearing
            )
        if answer == YES:  # a question asking exactly this item said yes, or its box ticked
            assert any(
                c.fit == EXACT and (health.get(c.answer) == "yes" or c.answer in (medicines or ()))
                for c in bearing
            )


# End to end: a screening answered in the browser's way, then the lead converted


@pytest.mark.django_db
def test_a_converted_screening_carries_every_answer_to_the_chart(client, boston, nurse):
    from dendrite.screening.tests.helpers import health, treatment, walk

    walk(
        client,
        boston,
        health=health(ketamine_misuse="no", liver="yes", alcohol_withdrawal="not-sure"),
        treatment=treatment(2, medications=["opioids", "stimulants", "maois"]),
    )
    lead = Lead.objects.get()
    assert lead.answers["health"]["alcohol_24_hours"] == "no"  # the new questions are kept
    response = signed_in(nurse).post(
        reverse("leads:convert", args=[lead.pk]),
        {"first_name": "Dana", "last_name": "Example", "date_of_birth": "1990-04-02",
         "sex": "female"},
    )  # fmt: skip
    patient = Patient.objects.get()
    assert response.url == reverse("patients:chart", args=[patient.pk])
    history = {row.item: row for row in HistoryAnswer.objects.filter(patient=patient)}
    assert history["intoxication-or-opioids"].answer == UNKNOWN  # not "No": opioids ticked
    assert history["liver-disease"].answer == YES
    assert history["psychostimulants"].answer == YES
    assert history["maois"].answer == YES
    assert history["lamotrigine"].answer == UNKNOWN  # an empty box
    assert history["alcohol-withdrawal"].answer == UNKNOWN  # "not sure"
    assert history["alcohol-abstinence"].answer == NO
    assert history["hypertension"].answer == NO
    assert "recreational-drugs" not in history  # the screening never asked: "Not asked"
    chart = signed_in(nurse).get(reverse("patients:chart", args=[patient.pk])).content.decode()
    assert "Takes an opioid medicine now? Ticked." in chart
    assert "Takes a psychostimulant (closer blood-pressure monitoring)" in chart
