"""Recording and revoking a Part 2 consent from the chart (42 CFR 2.31): who may, the
messages on bad input with the typed values kept, nothing saved half-way, the audit
entries, and the consent on the FHIR API as the patient signed it."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import query_count, signed_in
from dendrite.fhir.actions import record_consent
from dendrite.fhir.models import DisclosureConsent
from dendrite.infusions.tests.conftest import NOW

from .test_api import entries

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


def new_url(patient):
    return reverse("disclosures:consent_new", args=[patient.pk])


def revoke_url(consent):
    return reverse("disclosures:consent_revoke", args=[consent.patient_id, consent.pk])


def form(**changes):
    return {
        "recipient_name": "", "client": "", "purpose": "treatment", "purpose_text": "",
        "records": ["audit", "audit-c", "dast-10"],
        "starts_on": TODAY.isoformat(), "ends_on": (TODAY + dt.timedelta(days=90)).isoformat(),
    } | changes  # fmt: skip


def make(alice, by, client=None, **extra):
    values = {"recipient_name": "Dr Grace Hopper", "purpose": "treatment",
              "starts_on": TODAY - dt.timedelta(days=1),
              "ends_on": TODAY + dt.timedelta(days=30)} | extra  # fmt: skip
    return record_consent(DisclosureConsent(patient=alice, client=client, **values), by)


def test_a_prescriber_records_a_consent_to_a_connected_recipient(
    alice, client, prescriber, api, records
):
    page = signed_in(prescriber)
    chart = page.get(reverse("patients:chart", args=[alice.pk])).content.decode()
    assert new_url(alice) in chart
    response = page.post(new_url(alice), form(client=client.pk))
    assert response.status_code == 302
    assert response["Location"].endswith("#disclosures")
    row = DisclosureConsent.objects.get()
    assert (row.patient, row.client, row.recipient, row.recorded_by) == (
        alice, client, "State registry", prescriber
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="fhir.part2_consent.record", patient_id=alice.pk)
    # On the API as a FHIR Consent, and it opens the client's door to the AUDIT-C.
    resource = api().get(f"/fhir/Consent/part2-{row.pk}").json()
    assert resource["resourceType"] == "Consent" and resource["status"] == "active"
    assert resource["provision"]["actor"][0]["reference"]["display"] == "State registry"
    bundle = api().get("/fhir/Observation", {"patient": alice.pk}).json()
    assert f"score-{records['audit_c'].pk}" in {r["id"] for r in entries(bundle)}


def test_a_recipient_by_name_only_is_recorded_and_served_without_an_identifier(
    alice, clinic_admin, prescriber
):
    typed = form(
        recipient_name="Dr Grace Hopper", purpose="other", purpose_text="Court-ordered evaluation"
    )
    response = signed_in(clinic_admin).post(new_url(alice), typed)
    assert response.status_code == 302
    row = DisclosureConsent.objects.get()
    assert row.client is None and row.recipient == "Dr Grace Hopper"
    resource = signed_in(prescriber).get(f"/fhir/Consent/part2-{row.pk}").json()
    assert resource["provision"]["actor"][0]["reference"] == {"display": "Dr Grace Hopper"}
    assert resource["provision"]["purpose"] == [{"display": "Court-ordered evaluation"}]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({}, "recipient_name", "Name the recipient"),
        ({"recipient_name": "Dr Hopper", "ends_on": (TODAY - dt.timedelta(days=1)).isoformat()},
         "ends_on", "expire on or after the day it was signed"),
        ({"recipient_name": "Dr Hopper", "starts_on": "yesterday"}, "starts_on", "as a date"),
        ({"recipient_name": "Dr Hopper", "starts_on": ""}, "starts_on", "day the patient signed"),
        ({"recipient_name": "Dr Hopper", "purpose": "other"}, "purpose_text", "other purpose"),
        ({"recipient_name": "Dr Hopper", "client": "999999"}, "client", "from the list"),
        ({"recipient_name": "Dr Hopper", "records": []}, "records", "at least one kind"),
        ({"recipient_name": "Dr Hopper", "records": ["phq-9"]}, "records", "from the list"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_message_by_its_field_keeps_the_values_saves_nothing(
    alice, prescriber, changes, field, message
):
    response = signed_in(prescriber).post(new_url(alice), form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    html = response.content.decode()
    if changes.get("recipient_name"):
        assert 'value="Dr Hopper"' in html
    assert f'id="id_{field}_error"' in html
    assert not DisclosureConsent.objects.exists()
    assert not AuditEvent.objects.filter(action="fhir.part2_consent.record").exists()


def test_a_client_of_another_location_is_not_offered(alice, prescriber, boston, hartford):
    from dendrite.fhir.models import Client

    elsewhere = Client.objects.create(
        name="Hartford lab", client_id="lab", organization=hartford.organization, jwks={},
        scopes="system/*.rs",
    )  # fmt: skip
    elsewhere.locations.set([hartford])
    response = signed_in(prescriber).post(
        new_url(alice), form(recipient_name="Lab", client=elsewhere.pk)
    )
    assert response.status_code == 200 and "client" in response.context["form"].errors
    assert not DisclosureConsent.objects.exists()


def test_revoking_needs_a_reason_and_stops_the_consent(alice, prescriber, nurse):
    row = make(alice, prescriber)
    page = signed_in(nurse)
    assert page.get(revoke_url(row)).status_code == 200
    refused = page.post(revoke_url(row), {"reason": ""})
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    row.refresh_from_db()
    assert row.revoked_at is None
    done = page.post(revoke_url(row), {"reason": "Revoked in writing by the patient"})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None and row.revoked_by == nurse
    assert row.revoke_reason == "Revoked in writing by the patient"
    assert AuditEvent.objects.filter(action="fhir.part2_consent.revoke", actor_id=nurse.pk).exists()
    chart = page.get(reverse("patients:chart", args=[alice.pk])).content.decode()
    assert "Revoked" in chart and "Revoked in writing by the patient" in chart
    assert revoke_url(row) not in chart
    # A revoked consent cannot be revoked again (its date stays the first one).
    assert page.post(revoke_url(row), {"reason": "again"}).status_code == 404


def test_the_chart_says_in_words_which_consents_are_in_force(alice, prescriber):
    make(alice, prescriber, recipient_name="In force clinic")
    make(alice, prescriber, recipient_name="Old clinic", starts_on=TODAY - dt.timedelta(days=60),
         ends_on=TODAY - dt.timedelta(days=30))  # fmt: skip
    make(alice, prescriber, recipient_name="Later clinic", starts_on=TODAY + dt.timedelta(days=3))
    html = signed_in(prescriber).get(reverse("patients:chart", args=[alice.pk])).content.decode()
    for words in ("In force", "Expired", "Not yet in force", "Old clinic", "Later clinic"):
        assert words in html
    assert reverse("disclosures:csv", args=[alice.pk]) in html


def test_staff_of_another_location_get_a_404_and_the_front_desk_a_403(
    alice, prescriber, prescriber_hartford, front_desk
):
    row = make(alice, prescriber)
    # Another location's prescriber: the chart does not exist for them. The front desk:
    # refused by role (as the accounting's CSV), whatever the chart.
    for user, status in ((prescriber_hartford, 404), (front_desk, 403)):
        page = signed_in(user)
        assert page.get(new_url(alice)).status_code == status
        assert page.post(new_url(alice), form(recipient_name="X")).status_code == status
        assert page.get(revoke_url(row)).status_code == status
        assert page.post(revoke_url(row), {"reason": "x"}).status_code == status
    assert DisclosureConsent.objects.count() == 1
    row.refresh_from_db()
    assert row.revoked_at is None
    assert AuditEvent.objects.filter(
        action="patients.patient.part2_consent.record", outcome="denied"
    ).exists()


def test_the_chart_lists_consents_in_a_constant_number_of_queries(alice, prescriber):
    page = signed_in(prescriber)
    url = reverse("patients:chart", args=[alice.pk])
    make(alice, prescriber)
    one = query_count(lambda: page.get(url))
    for n in range(4):
        make(alice, prescriber, recipient_name=f"Clinic {n}")
    assert query_count(lambda: page.get(url)) == one


def test_a_consent_discloses_only_the_records_it_names(alice, client, prescriber, api, records):
    response = signed_in(prescriber).post(
        new_url(alice), form(client=client.pk, records=["dast-10"])
    )
    assert response.status_code == 302
    assert DisclosureConsent.objects.get().records == ["dast-10"]
    chart = signed_in(prescriber).get(reverse("patients:chart", args=[alice.pk]))
    assert "DAST-10" in chart.content.decode()
    # The AUDIT-C is not named: the client does not receive it, though a consent is in force.
    audit_c = f"score-{records['audit_c'].pk}"
    bundle = api().get("/fhir/Observation", {"patient": alice.pk}).json()
    assert audit_c not in {r["id"] for r in entries(bundle)}
    served = api().get(f"/fhir/Consent/part2-{DisclosureConsent.objects.get().pk}").json()
    assert [c["coding"][0]["display"] for c in served["provision"]["code"]] == [
        "Drug Abuse Screening Test (DAST-10)"
    ]
    assert api().get(f"/fhir/Observation/{audit_c}").status_code == 403
