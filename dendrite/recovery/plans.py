"""The sections of the two plans a patient keeps, in order, with their fixed headings
and instructions (translated; the clinician's text is kept as written).

The safety plan follows the six steps clinicians use (the Stanley–Brown safety plan):
warning signs, own coping, people and places that distract, people to ask for help,
professionals and crisis lines, making the surroundings safer. The 988 Suicide & Crisis
Lifeline (call or text 988, chat at 988lifeline.org; 911 in immediate danger) is printed
in step 5 on every plan — CLINICAL.md §6 [R86a][R86c].
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import PlanKind


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    prompt: Promise


SAFETY = [
    Section(
        "warning_signs",
        _("Step 1: Warning signs"),
        _("Thoughts, feelings, situations or behaviour that tell me a crisis may be coming."),
    ),
    Section(
        "coping",
        _("Step 2: Things I can do on my own"),
        _("What I can do to take my mind off my problems without contacting anyone."),
    ),
    Section(
        "distractions",
        _("Step 3: People and places that take my mind off things"),
        _("People to be with and social places to go to."),
    ),
    Section(
        "helpers",
        _("Step 4: People I can ask for help"),
        _("Names and phone numbers of people I can reach out to."),
    ),
    Section(
        "professionals",
        _("Step 5: Professionals and agencies I can contact in a crisis"),
        _("My clinicians and their phone numbers, and local urgent care."),
    ),
    Section(
        "environment",
        _("Step 6: Making my surroundings safer"),
        _("How I will keep myself safe, for example by removing or locking away means."),
    ),
]

RELAPSE_PREVENTION = [
    Section(
        "triggers",
        _("My triggers"),
        _("People, places, feelings and times that make me want to drink or use."),
    ),
    Section(
        "high_risk",
        _("High-risk situations"),
        _("Situations coming up where drinking or using would be more likely."),
    ),
    Section(
        "coping_steps",
        _("Small steps I can take"),
        _("What I will do when a craving comes or a high-risk situation arrives."),
    ),
    Section(
        "supports",
        _("My supports"),
        _("People, groups and services I can turn to, with how to reach them."),
    ),
    Section(
        "reasons",
        _("My reasons for change"),
        _("Why this matters to me."),
    ),
]

SECTIONS = {PlanKind.SAFETY: SAFETY, PlanKind.RELAPSE_PREVENTION: RELAPSE_PREVENTION}


def sections_with_text(kind: str, content: dict[str, str]) -> list[tuple[Section, str]]:
    return [(section, content.get(section.key, "")) for section in SECTIONS[kind]]
