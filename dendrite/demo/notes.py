"""Demo clinical notes (synthetic people only, for `load_demo`): at each location a
signed consultation note for two patients, the infusion note of the completed demo
infusion signed by its nurse and co-signed by the prescriber (demo/infusions.py, loaded
first), and, at Boston, an addendum beneath one consultation note. The notes go through
the actions, as a prescriber and a nurse would sign them. Idempotent: a location that
already has notes is left alone."""

import datetime as dt

from django.db import transaction

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location
from dendrite.infusions.models import Infusion
from dendrite.notes import actions
from dendrite.notes.models import Note, NoteKind
from dendrite.patients.models import Patient

# What a prescriber might write at a candidacy evaluation, by section heading (invented).
CONSULTATION = {
    "History": "Major depressive disorder, recurrent, since age 24. Two adequate trials "
    "(sertraline 200 mg for 10 weeks, bupropion 300 mg for 8 weeks) and 16 sessions of "
    "CBT with partial response. No mania or psychosis. Alcohol: 2 drinks a week.",
    "Mental status examination": "Well groomed, good eye contact. Speech normal rate. Mood "
    "“flat”, affect constricted. Thought process linear; no delusions, no hallucinations. "
    "Alert and oriented. Insight and judgement good.",
    "Indication": "Treatment-resistant depression: two adequate antidepressant trials "
    "without remission. PHQ-9 19 at screening.",
    "Plan": "Candidate for IV ketamine. Induction series of six infusions over three weeks, "
    "0.5 mg/kg over 40 minutes. PHQ-9 before each visit. Follow-up after the sixth.",
}
FOLLOW_UP = "Mood brighter since the third infusion; sleeping better. No new concerns."
INFUSION = "Tolerated well. One raised blood pressure at 20 minutes, settled without " \
    "medicine. Mild nausea, resolved with ondansetron. Left with escort."  # fmt: skip


def _texts(note: Note, written: dict[str, str], default: str) -> list[str]:
    return [
        written.get(section["heading"]) or section["text"] or default for section in note.sections
    ]


def _consultation(patient: Patient, prescriber: User, days_ago: int) -> Note:
    note = actions.start_note(patient, NoteKind.CONSULTATION, by=prescriber)
    Note.objects.filter(pk=note.pk).update(created_at=note.created_at - dt.timedelta(days=days_ago))
    return actions.sign(note, _texts(note, CONSULTATION, "Reviewed with the patient."),
                        by=prescriber)  # fmt: skip


def _infusion_note(infusion: Infusion, prescriber: User) -> None:
    nurse = infusion.discharged_by
    if nurse is None or nurse.role != Role.NURSE:
        return
    note = actions.start_note(infusion.patient, NoteKind.INFUSION, by=nurse,
                              appointment=infusion.appointment)  # fmt: skip
    note = actions.sign(note, _texts(note, {}, INFUSION), by=nurse)
    actions.cosign(note, by=prescriber)


@transaction.atomic
def load_notes() -> None:
    for location in Location.objects.all():
        staff = User.objects.filter(locations=location, is_active=True)
        prescriber = staff.filter(role=Role.PRESCRIBER).first()
        if prescriber is None or Note.objects.filter(location=location).exists():
            continue
        patients = list(Patient.objects.filter(location=location).order_by("pk")[:2])
        notes = [_consultation(p, prescriber, 14 - 3 * i) for i, p in enumerate(patients)]
        discharged = Infusion.objects.filter(location=location, discharged_at__isnull=False)
        for infusion in discharged.select_related("patient", "appointment", "discharged_by"):
            _infusion_note(infusion, prescriber)
        if notes and location.slug == "boston":
            actions.add_addendum(
                notes[0], by=prescriber, reason="Later information",
                text="Records from the previous psychiatrist arrived: a third trial "
                "(venlafaxine 225 mg, 8 weeks) also without remission. Plan unchanged.",
            )  # fmt: skip
        if len(patients) > 1:
            follow_up = actions.start_note(patients[0], NoteKind.FOLLOW_UP, by=prescriber)
            actions.sign(follow_up, _texts(follow_up, {}, FOLLOW_UP), by=prescriber)
