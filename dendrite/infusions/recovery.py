"""Discharge scores: the Modified Aldrete and PADSS (no Django).

Modified Aldrete: activity, respiration, circulation, consciousness, SpO2, each 0–2,
out of 10 (CLINICAL.md §10.2 [C4b]). PADSS: vital signs, activity and mental state, pain
and nausea, surgical bleeding, intake and output, each 0–2, out of 10; 9 or more is fit
for discharge (§10.3 [C5a][C5b]). Pass marks vary between sources (§10.2 [C4d][C4a]),
so the clinic chooses its system and its pass mark (settings INFUSION_DISCHARGE_*).
"""

from dataclasses import dataclass

ALDRETE = "aldrete"
PADSS = "padss"
NONE = "none"


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    choices: tuple[tuple[int, str], ...]


ITEMS = {
    ALDRETE: (
        Item(
            "activity",
            "Activity",
            ((2, "Moves all four limbs"), (1, "Moves two limbs"), (0, "Moves none")),
        ),
        Item(
            "respiration",
            "Breathing",
            (
                (2, "Breathes deeply and coughs freely"),
                (1, "Short of breath or shallow breathing"),
                (0, "Not breathing"),
            ),
        ),
        Item(
            "circulation",
            "Blood pressure compared with before",
            ((2, "Within 20%"), (1, "20 to 49% different"), (0, "50% or more different")),
        ),
        Item(
            "consciousness",
            "Consciousness",
            ((2, "Fully awake"), (1, "Wakes when called"), (0, "Not responding")),
        ),
        Item(
            "spo2",
            "Oxygen saturation",
            (
                (2, "Above 92% on room air"),
                (1, "Needs oxygen to stay above 90%"),
                (0, "Below 90% even with oxygen"),
            ),
        ),
    ),
    PADSS: (
        Item(
            "vitals",
            "Vital signs compared with before",
            ((2, "Within 20%"), (1, "20 to 40% different"), (0, "More than 40% different")),
        ),
        Item(
            "activity",
            "Activity and mental state",
            ((2, "Oriented and steady on their feet"), (1, "One of the two"), (0, "Neither")),
        ),
        Item(
            "pain_nausea",
            "Pain, nausea or vomiting",
            ((2, "Minimal"), (1, "Moderate, treated"), (0, "Severe")),
        ),
        Item("bleeding", "Bleeding", ((2, "Minimal"), (1, "Moderate"), (0, "Severe"))),
        Item(
            "intake_output",
            "Drinking and passing urine",
            ((2, "Has drunk and passed urine"), (1, "One of the two"), (0, "Neither")),
        ),
    ),
}
NAMES = {ALDRETE: "Modified Aldrete score", PADSS: "PADSS discharge score", NONE: ""}


def score(system: str, answers: dict[str, int]) -> int:
    """The total; ValueError when an item is missing or not one of its choices."""
    total = 0
    for item in ITEMS[system]:
        value = answers.get(item.key)
        if value not in {points for points, _ in item.choices}:
            raise ValueError(f"{item.label} needs an answer.")
        total += value
    return total


def passes(system: str, total: int, pass_mark: int) -> bool:
    return system == NONE or total >= pass_mark
