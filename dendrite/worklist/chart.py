"""The chart's section of open tasks for the patient, in one query."""

from typing import Any

from dendrite.links import row_url
from dendrite.patients.chart import Section
from dendrite.patients.models import Patient

from .access import patient_tasks

SHOWN = 20


def tasks_section(patient: Patient, viewer: Any) -> dict[str, Any]:
    # The chart knows the patient and needs each task's owner only, not the list's joins.
    tasks = patient_tasks(patient, viewer).select_related(None).select_related("owner")
    url = row_url("worklist:task")
    return {"patient": patient, "tasks": [(task, url(task.pk)) for task in tasks[:SHOWN]]}


SECTION = Section(
    anchor="tasks",
    title="Tasks",
    template="worklist/_patient_tasks.html",
    context=tasks_section,
)
