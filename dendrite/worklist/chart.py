"""The chart's section of open tasks for the patient, in one query."""

from typing import Any

from dendrite.patients.chart import Section
from dendrite.patients.models import Patient

from .access import patient_tasks

SHOWN = 20


def tasks_section(patient: Patient, viewer: Any) -> dict[str, Any]:
    return {"patient": patient, "tasks": list(patient_tasks(patient, viewer)[:SHOWN])}


SECTION = Section(
    anchor="tasks",
    title="Tasks",
    template="worklist/_patient_tasks.html",
    context=tasks_section,
)
