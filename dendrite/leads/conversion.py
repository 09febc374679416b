"""What a lead carries into the chart when it becomes a patient (actions.convert_lead):
nothing the person already told us is typed again.

The screening's health answers and ticked medicines become medical-history answers that
wait for a prescriber's sign-off. The chart never says what the person did not say: an
answer that asked only part of an item, or more than it, leaves the item "not known"
with a note of what was said.
"""

import datetime as dt
from typing import NamedTuple

from dendrite.patients.models import Answer

# How one screening answer bears on a chart history item (history_items.py):
EXACT = "exact"  # asks exactly the item: "yes" → Yes, "no" → No
WIDER = "wider"  # asks about the item and more besides: "yes" cannot say which → not known
PART = "part"  # asks about part of the item, or not quite it: informs, never decides


class Carried(NamedTuple):
    item: str  # the chart's history item
    answer: str  # a health question of the screening, or a medicine of its list
    asked: str  # what the person was asked, in a few words, for the note
    fit: str


# The screening's list of medicines taken now (screening/questions.py MEDICATIONS; this
# app may not import the screening): a tick is carried, and so is an empty box.
MEDICINE_CODES = frozenset({"benzodiazepines", "opioids", "stimulants", "maois", "lamotrigine"})

_HEART = "Heart disease, an aneurysm, another blood-vessel disease or bleeding in the brain"
_PRESSURE = "Raised pressure inside the head or the eyes"
# Every health question and every medicine of the screening's list, to the item(s) it
# bears on. An item may hear from several answers (the opioids item below).
CARRIED: tuple[Carried, ...] = (
    Carried("hypertension", "blood_pressure", "Severe or uncontrolled high blood pressure", EXACT),
    *(
        Carried(item, "heart_vascular", _HEART, WIDER)
        for item in ("arrhythmia", "cerebrovascular", "aneurysm", "avm", "brain-bleed")
    ),
    Carried("intracranial-pressure", "raised_pressure", _PRESSURE, WIDER),
    Carried("glaucoma", "raised_pressure", _PRESSURE, WIDER),
    Carried("epilepsy", "seizures", "Seizures recently", EXACT),
    Carried("psychosis", "psychosis_mania", "Psychosis or mania, ever", WIDER),
    Carried("mania", "psychosis_mania", "Psychosis or mania, ever", WIDER),
    Carried(
        "pregnancy", "pregnancy", "Pregnant, trying to become pregnant or breastfeeding", EXACT
    ),
    Carried(
        "alcohol-abstinence", "alcohol_24_hours", "Unable to go 24 hours without alcohol", EXACT
    ),
    Carried("intoxication-or-opioids", "ketamine_misuse", "Ever misused ketamine or PCP", PART),
    Carried("intoxication-or-opioids", "opioids", "Takes an opioid medicine now", PART),
    Carried("benzodiazepines", "benzodiazepines", "Takes a benzodiazepine now", PART),
    Carried(
        "hypersensitivity", "ketamine_allergy", "Allergic reaction to ketamine or esketamine", EXACT
    ),
    Carried(
        "ketamine-reaction",
        "ketamine_reaction",
        "Serious bad reaction to ketamine or esketamine, apart from an allergy",
        EXACT,
    ),
    Carried(
        "alcohol-withdrawal",
        "alcohol_withdrawal",
        "Bad alcohol withdrawal, ever (a seizure, the DTs or shaking that needed medicine)",
        EXACT,
    ),
    Carried("psychostimulants", "stimulants", "Takes a stimulant medicine now", EXACT),
    Carried("maois", "maois", "Takes an MAOI antidepressant now", EXACT),
    Carried("liver-disease", "liver", "Severe liver disease", EXACT),
    Carried("hyperthyroidism", "hyperthyroidism", "Overactive thyroid not under control", EXACT),
    Carried("lamotrigine", "lamotrigine", "Takes lamotrigine now", EXACT),
)
# What the screening did not ask of an item it asked only part of (PART).
LEFT_TO_ASK = {
    "intoxication-or-opioids": "Not asked: acute intoxication or withdrawal, or how often"
    " opioids, ketamine or PCP are used.",
    "benzodiazepines": "Check the daily dose.",
}
WIDER_HINT = "The question covered more than this item: ask which applies."
UNTICKED_HINT = "An empty box is not a no: ask."
SAID = {"yes": "Yes", "no": "No", "not-sure": "Not sure", True: "Ticked", False: "Not ticked"}
NOTE_LENGTH = 300  # HistoryAnswer.note


def _verdict(said: str | bool, fit: str) -> str:
    if said is True or said == "yes":
        return Answer.YES if fit == EXACT else Answer.UNKNOWN
    if said == "no" and fit != PART:
        return Answer.NO
    return Answer.UNKNOWN  # "not sure", an empty box, or only part of the item asked


def history_answers(
    health: dict[str, str], medicines: list[str] | None, on: dt.date
) -> dict[str, tuple[str, str]]:
    """The screening's answers as chart history answers: item → (answer, note).

    An item is Yes only if an answer asked exactly it and said yes, No only if every
    answer bearing on it said no to all of it, and otherwise not known, with a note of
    what was said for the prescriber. An item no answer bears on is left out (the chart
    shows it as not asked). ``medicines`` is None when the treatment step was never
    answered: only then does an empty box say nothing.
    """
    heard: dict[str, list[tuple[Carried, str | bool]]] = {}
    for carried in CARRIED:
        if carried.answer in MEDICINE_CODES:
            if medicines is not None:
                heard.setdefault(carried.item, []).append((carried, carried.answer in medicines))
        elif carried.answer in health:
            heard.setdefault(carried.item, []).append((carried, health[carried.answer]))
    return {item: _answer(item, said, on) for item, said in heard.items()}


def _answer(item: str, heard: list[tuple[Carried, str | bool]], on: dt.date) -> tuple[str, str]:
    verdicts = {_verdict(said, carried.fit) for carried, said in heard}
    if Answer.YES in verdicts:
        answer = Answer.YES
    elif verdicts == {Answer.NO}:
        answer = Answer.NO
    else:
        answer = Answer.UNKNOWN
    parts = [f"Self-screening of {on:%d %b %Y}:"]
    parts += [f"{carried.asked}? {SAID.get(said, str(said))}." for carried, said in heard]
    if answer != Answer.UNKNOWN:
        parts.append("To be confirmed.")
    else:
        if any(carried.fit == WIDER and said == "yes" for carried, said in heard):
            parts.append(WIDER_HINT)
        if any(said is False for _, said in heard):
            parts.append(UNTICKED_HINT)
        if item in LEFT_TO_ASK:
            parts.append(LEFT_TO_ASK[item])
    note = " ".join(parts)
    return answer, note if len(note) <= NOTE_LENGTH else note[: NOTE_LENGTH - 1] + "…"


def split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")
