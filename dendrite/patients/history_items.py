"""The ketamine-relevant medical history a prescriber reviews before a first infusion.

Plain data, no Django. Each item is a contraindication or caution from CLINICAL.md §3.2,
with its sources; the clinic's medical director confirms the list (a clinic may add
items, never silently drop one). Answers are yes / no / unknown, with a note.
Changing the list means a new VERSION, so a sign-off records which list was reviewed.
"""

from typing import NamedTuple

VERSION = "2026-1"


class HistoryItem(NamedTuple):
    code: str
    text: str
    sources: str  # CLINICAL.md section and [R..] tags


ITEMS: tuple[HistoryItem, ...] = (
    HistoryItem(
        "hypertension",
        "Severe or uncontrolled high blood pressure, or any condition in which a rise in "
        "blood pressure would be a serious hazard",
        "§3.2 [R71][R66][R99]",
    ),
    HistoryItem("arrhythmia", "Significant heart rhythm problem (arrhythmia)", "§3.2 [R99]"),
    HistoryItem("cerebrovascular", "Unstable cerebrovascular disease", "§3.2 [R99]"),
    HistoryItem(
        "aneurysm",
        "Aneurysmal vascular disease (thoracic or abdominal aorta, intracranial or "
        "peripheral arteries)",
        "§3.2 [R70d]",
    ),
    HistoryItem("avm", "Arteriovenous malformation", "§3.2 [R70d]"),
    HistoryItem(
        "brain-bleed", "History of bleeding in the brain (intracerebral haemorrhage)", "§3.2 [R70d]"
    ),
    HistoryItem("intracranial-pressure", "Raised intracranial pressure", "§3.2 [R66]"),
    HistoryItem("glaucoma", "Raised pressure in the eye (glaucoma)", "§3.2 [R66]"),
    HistoryItem("epilepsy", "Recent epilepsy or seizures", "§3.2 [R66]"),
    HistoryItem("psychosis", "Recent or current psychosis", "§3.2 [R66][R99]"),
    HistoryItem("mania", "History of mania, especially drug-induced", "§3.2 [R66][R99]"),
    HistoryItem("pregnancy", "Pregnancy, breastfeeding or IVF", "§3.2 [R66][R99]"),
    HistoryItem("alcohol-abstinence", "Unable to go without alcohol for 24 hours", "§3.2 [R66]"),
    HistoryItem("recreational-drugs", "Recreational drug use, such as cannabis", "§3.2 [R66]"),
    HistoryItem(
        "intoxication-or-opioids",
        "Acute intoxication or withdrawal, or more than rare use of opioids, ketamine or PCP",
        "§3.2 [R99]",
    ),
    HistoryItem(
        "benzodiazepines",
        "Benzodiazepines above 3 mg lorazepam-equivalent a day",
        "§3.2 [R99]",
    ),
    HistoryItem("hypersensitivity", "Hypersensitivity to ketamine or esketamine", "§3.2 [R70d]"),
)

BY_CODE: dict[str, HistoryItem] = {item.code: item for item in ITEMS}
