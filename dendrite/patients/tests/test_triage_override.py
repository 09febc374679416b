"""A prescriber's override of the self-screening's triage, with the reason, on the chart.

Only prescribers of the patient's location record one; nurses and front desk get a 403,
West Hartford's prescriber a 404 for Alice. Overrides show on the chart for nurses and
prescribers, newest first, and each one is in the audit trail.
"""

import pytest

from dendrite.conftest import signed_in
from dendrite.patients import actions
from dendrite.patients.models import TriageOverride

from .conftest import audited, url

pytestmark = pytest.mark.django_db

REASON = "Reviewed at the consultation: blood pressure is controlled now."


def test_a_prescriber_records_an_override_with_the_reason(prescriber, alice):
    client = signed_in(prescriber)
    page = client.get(url("triage_override", alice)).content.decode()
    assert "Why infusions may go ahead" in page
    response = client.post(url("triage_override", alice), {"reason": f"  {REASON}  "})
    assert response.status_code == 302 and response.url.endswith("#triage")
    override = TriageOverride.objects.get()
    assert (override.patient, override.by, override.reason) == (alice, prescriber, REASON)
    assert override.outcome == TriageOverride.Outcome.NOT_SUITABLE_NOW
    [event] = audited("patients.triageoverride.create")
    assert (event.patient_id, event.object_id) == (str(alice.pk), str(override.pk))
    assert REASON not in str(event.detail)


def test_the_override_is_shown_on_the_chart(prescriber, nurse, alice):
    actions.override_triage(alice, reason=REASON, by=prescriber)
    page = signed_in(nurse).get(url("chart", alice)).content.decode()
    assert "Screening triage overrides" in page
    assert "Not suitable for ketamine now" in page
    assert "blood pressure is controlled now" in page and str(prescriber) in page
    # Only a prescriber is offered the way to record one.
    assert url("triage_override", alice) not in page
    assert (
        url("triage_override", alice)
        in signed_in(prescriber).get(url("chart", alice)).content.decode()
    )


def test_front_desk_does_not_see_the_overrides(front_desk, prescriber, alice):
    actions.override_triage(alice, reason=REASON, by=prescriber)
    page = signed_in(front_desk).get(url("chart", alice)).content.decode()
    assert "Screening triage overrides" not in page and "blood pressure" not in page


def test_an_override_without_a_reason_is_refused(prescriber, alice):
    response = signed_in(prescriber).post(url("triage_override", alice), {"reason": "   "})
    assert response.status_code == 400
    assert "Please give the reason for the override" in response.content.decode()
    assert not TriageOverride.objects.exists()


def test_a_reason_too_long_is_refused_and_kept(prescriber, alice):
    reason = "x" * 2001
    response = signed_in(prescriber).post(url("triage_override", alice), {"reason": reason})
    assert response.status_code == 400
    page = response.content.decode()
    assert "2000 characters or fewer" in page and reason in page
    assert not TriageOverride.objects.exists()


@pytest.mark.parametrize("role", ["nurse", "front_desk", "clinic_admin"])
def test_only_a_prescriber_may_override(role, request, alice):
    client = signed_in(request.getfixturevalue(role))
    assert client.get(url("triage_override", alice)).status_code == 403
    assert client.post(url("triage_override", alice), {"reason": REASON}).status_code == 403
    assert not TriageOverride.objects.exists()


def test_the_action_refuses_a_nurse_too(nurse, alice):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.override_triage(alice, reason=REASON, by=nurse)
    assert not TriageOverride.objects.exists()


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    response = signed_in(prescriber_hartford).post(
        url("triage_override", alice), {"reason": REASON}
    )
    assert response.status_code == 404
    assert not TriageOverride.objects.exists()
    [event] = audited("patients.patient.override_triage")
    assert event.outcome == "denied"


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert "/login" in client.get(url("triage_override", alice)).url
    assert "/login" in client.post(url("triage_override", alice), {"reason": REASON}).url
    assert not TriageOverride.objects.exists()
