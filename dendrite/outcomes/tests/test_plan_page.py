"""One patient's measurement plan: a prescriber changes it (audited); a nurse reads it;
the front desk and the other location do not see it."""

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.outcomes.models import PatientPlanChange
from dendrite.outcomes.plans import rules_for

URL = "/staff/patients/{}/measurement-plan/"


def test_the_page_shows_what_the_patients_diagnoses_ask_for(depressed_alice, nurse):
    page = signed_in(nurse).get(URL.format(depressed_alice.pk)).content.decode()
    assert "Depression" in page and "PHQ-9 (depression)" in page
    assert "Before every visit and check-in" in page
    assert "Save the change" not in page  # a nurse reads, a prescriber changes


def test_a_prescriber_changes_one_patients_plan_audited(depressed_alice, prescriber):
    client = signed_in(prescriber)
    data = {"instrument": "gad-7", "change": "ask", "cadence": "every_days", "every_days": "14"}
    response = client.post(URL.format(depressed_alice.pk), data)
    assert response.status_code == 302
    assert [r.instrument for r in rules_for(depressed_alice)] == [
        "phq-9", "c-ssrs-screener", "gad-7"
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="outcomes.plan.change").count() == 1
    client.post(URL.format(depressed_alice.pk), {"instrument": "c-ssrs-screener",
                                                 "change": "remove"})  # fmt: skip
    assert [r.instrument for r in rules_for(depressed_alice)] == ["phq-9", "gad-7"]


def test_days_are_needed_for_a_periodic_cadence(depressed_alice, prescriber):
    client = signed_in(prescriber)
    data = {"instrument": "gad-7", "change": "ask", "cadence": "every_days", "every_days": ""}
    response = client.post(URL.format(depressed_alice.pk), data)
    assert b"Please give the number of days" in response.content
    assert not PatientPlanChange.objects.exists()


def test_a_nurse_cannot_change_it(depressed_alice, nurse):
    data = {"instrument": "gad-7", "change": "remove"}
    assert signed_in(nurse).post(URL.format(depressed_alice.pk), data).status_code == 403
    assert not PatientPlanChange.objects.exists()


def test_front_desk_anonymous_and_the_other_location_are_kept_out(
    depressed_alice, charlie, front_desk, prescriber, client
):
    assert signed_in(front_desk).get(URL.format(depressed_alice.pk)).status_code == 403
    assert client.get(URL.format(depressed_alice.pk)).status_code == 302
    assert signed_in(prescriber).get(URL.format(charlie.pk)).status_code == 404
