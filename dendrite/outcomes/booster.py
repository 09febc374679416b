"""The booster rule: after a response or remission, PHQ-9 rising again (by the clinic's
settings: 5 points above the lowest score, or back to 10, on two measurements in a row)
opens a task for the prescribers of the patient's location, "Review for a booster", with
the reason in its detail. Once per episode: the task's key names the patient and the
score that started the episode, so a rule run twice opens one task, and a new task comes
only after a new response. No one acts here (no `by=`): it runs after a questionnaire
is completed (review_after_response) and from the sweep (manage.py outcomes_booster_sweep).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dendrite import dates
from dendrite.accounts.models import Role
from dendrite.patients.models import Patient
from dendrite.worklist.actions import open_task
from dendrite.worklist.models import Kind, StaffTask

from . import status as st
from .chart import infusion_times, phq9_points
from .models import OutcomeSettings, RuleSweep

TITLE = "Review for a booster"
SWEEP = "booster"


def review_after_response(patient: Patient) -> StaffTask | None:
    """Open the booster review if the patient's PHQ-9 meets the rule; the task (new or
    already opened for this episode), or None when the rule is not met."""
    settings = OutcomeSettings.for_organization(patient.organization_id)
    infusions = infusion_times(patient)
    signal = st.booster_signal(
        phq9_points(patient),
        infusions[0] if infusions else None,
        settings.thresholds("phq-9"),
        settings.booster_rule(),
    )
    if signal is None:
        return None
    return open_task(
        patient=patient,
        kind=Kind.BOOSTER_REVIEW,
        title=TITLE,
        detail=reason(signal, settings.booster_rule(), patient.location.tz),
        due_on=timezone.localdate(timezone=patient.location.tz)
        + dt.timedelta(days=settings.booster_due_days),
        role=Role.PRESCRIBER,
        key=f"booster:{patient.pk}:{signal.episode_start.at.isoformat()}",
    )


def reason(signal: st.BoosterSignal, rule: st.BoosterRule, tz: dt.tzinfo) -> str:
    def day(point: st.Point) -> str:
        return dates.day(point.at, tz)

    rising = " and ".join(f"{point.score} on {day(point)}" for point in signal.rising)
    in_a_row = "measurement" if rule.in_a_row == 1 else f"{rule.in_a_row} measurements in a row"
    return (
        f"PHQ-9 has risen again after a response or remission (first on"
        f" {day(signal.episode_start)}). It rose {rule.rise_points} points or more above its"
        f" lowest since then ({signal.lowest.score} on {day(signal.lowest)}), or back to"
        f" {rule.back_to} or more, on {in_a_row}: {rising}."
    )


def sweep(now: dt.datetime | None = None) -> list[StaffTask]:
    """Review every patient with a PHQ-9 recorded since the sweep last started (all of
    them on the first run); the tasks opened or found."""
    now = now or timezone.now()
    with transaction.atomic():
        last = RuleSweep.objects.select_for_update().filter(name=SWEEP).first()
        since = last.started_at if last else None
        RuleSweep.objects.update_or_create(name=SWEEP, defaults={"started_at": now})
    recent: dict[str, object] = {"questionnaire_responses__instrument": "phq-9"}
    if since is not None:
        recent["questionnaire_responses__recorded_at__gte"] = since
    patients = Patient.objects.filter(**recent)
    tasks = []
    for patient in patients.select_related("location").distinct().order_by("pk").iterator():
        task = review_after_response(patient)
        if task is not None:
            tasks.append(task)
    return tasks
