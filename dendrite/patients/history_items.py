"""The ketamine-relevant medical history a prescriber reviews before a first infusion.

Plain data, no Django. Each item is a contraindication or caution from CLINICAL.md
(§3.2, §3.5, §4), with its sources, or is marked clinic-configurable where the
self-screening asks about it but CLINICAL.md has no source; the clinic's medical
director confirms the list (a clinic may add items, never silently drop one).
Answers are yes / no / unknown, with a note. Changing the list means a new VERSION,
so a sign-off records which list was reviewed. The database stores item codes only
(``choices`` below is read when needed), so changing the list needs no migration.
"""

from typing import NamedTuple

# 2026-2: liver disease, overactive thyroid, a past non-allergic reaction to ketamine,
# psychostimulants, MAOIs, lamotrigine and past complicated alcohol withdrawal added.
VERSION = "2026-2"


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
    HistoryItem(
        "ketamine-reaction",
        "A past serious reaction to ketamine or esketamine that was not an allergy",
        "clinic-configurable (no CLINICAL.md source); history before treatment §3.3 [R68b]",
    ),
    HistoryItem(
        "alcohol-withdrawal",
        "Past complicated or severe alcohol withdrawal (seizures, delirium tremens, or "
        "tremor that needed medication)",
        "§4 [R77a][R77b][R76c]",
    ),
    HistoryItem(
        "psychostimulants",
        "Takes a psychostimulant (closer blood-pressure monitoring)",
        "§3.5 [R70f]",
    ),
    HistoryItem("maois", "Takes an MAOI (closer blood-pressure monitoring)", "§3.5 [R70f]"),
    HistoryItem(
        "liver-disease",
        "Severe liver disease, such as cirrhosis",
        "clinic-configurable (no CLINICAL.md source); history before treatment §3.3 [R68b]",
    ),
    HistoryItem(
        "hyperthyroidism",
        "Uncontrolled overactive thyroid (hyperthyroidism)",
        "clinic-configurable (no CLINICAL.md source); history before treatment §3.3 [R68b]",
    ),
    HistoryItem(
        "lamotrigine",
        "Takes lamotrigine",
        "clinic-configurable (no CLINICAL.md source); medications documented §3.3 [R68b]",
    ),
)

BY_CODE: dict[str, HistoryItem] = {item.code: item for item in ITEMS}


def choices() -> list[tuple[str, str]]:
    """The items as model choices: a callable, so migrations refer to it, not to the list."""
    return [(item.code, item.text) for item in ITEMS]
