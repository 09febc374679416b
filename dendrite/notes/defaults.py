"""The templates a clinic starts with, one per kind of note (plain data, no Django).
The clinic edits them on the staff page (version 2 onward); these are version 1.
Each section: heading, prompt (help shown under it), text (written in at the start),
fill (what the chart writes in, prefill.py) and whether it must be written to sign."""

from typing import Any


def _section(heading: str, prompt: str, fill: str = "", text: str = "") -> dict[str, Any]:
    return {"heading": heading, "prompt": prompt, "text": text, "fill": fill, "required": True}


DEFAULTS: dict[str, list[dict[str, Any]]] = {
    "consultation": [
        _section(
            "History",
            "Presenting problem, psychiatric and treatment history, treatments tried and "
            "how they went, substance use.",
        ),
        _section(
            "Mental status examination",
            "Appearance, behaviour, speech, mood and affect, thought process and content, "
            "perception, cognition, insight and judgement.",
        ),
        _section(
            "Risk assessment",
            "Suicide and self-harm risk, protective factors, the safety plan. The latest "
            "screening and any safety alerts are written in from the chart.",
            fill="risk",
        ),
        _section("Indication", "The diagnosis ketamine is considered for, and why now."),
        _section(
            "Contraindications reviewed",
            "The medical history items answered “yes” are written in from the chart; say "
            "how each was weighed. Current medications and allergies follow.",
            fill="history",
        ),
        _section(
            "Current medications and allergies",
            "Written in from the chart; note any interaction with ketamine.",
            fill="medications",
        ),
        _section("Plan", "Candidacy decision, dose and series, monitoring, follow-up."),
        _section(
            "Informed consent discussion",
            "Off-label use of ketamine discussed: benefits, risks (dissociation, blood "
            "pressure, bladder, misuse), alternatives, and the patient's questions.",
            text="Off-label use of intravenous ketamine discussed with the patient, "
            "including expected benefits, risks, alternatives and the right to stop at any time.",
        ),
    ],
    "follow_up": [
        _section("Interval history", "What changed since the last visit."),
        _section(
            "Current measures",
            "The latest questionnaire scores and what the patient reports.",
        ),
        _section("Side effects", "Any effects since the last infusion, and how they went."),
        _section(
            "Current medications and allergies",
            "Written in from the chart.",
            fill="medications",
        ),
        _section("Plan", "Continue, adjust or stop; next visit."),
    ],
    "infusion": [
        _section(
            "Nursing summary",
            "How the infusion went, in a few sentences: tolerance, anything the prescriber "
            "should know. The record below is copied in when you sign.",
        ),
    ],
}
