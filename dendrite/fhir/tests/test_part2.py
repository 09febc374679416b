"""42 CFR Part 2 on the FHIR API (CLINICAL.md §5.2, §12.6–12.9): a registered client
receives a patient's substance-use records only under a Part 2 consent in force naming
it; what it receives carries the redisclosure notice and is written to the accounting of
disclosures, once per request; staff reading their own locations are unfiltered."""

import datetime as dt
import json

import pytest
from django.test import Client as HttpClient

from dendrite.conftest import signed_in
from dendrite.fhir import serializer
from dendrite.fhir.actions import record_consent, revoke_consent
from dendrite.fhir.models import Disclosure, DisclosureConsent
from dendrite.infusions.tests.conftest import NOW

from .test_api import entries, validate
from .test_bulk import kick

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


def consent(alice, client, prescriber, *, days=(-1, 30), purpose="treatment"):
    return record_consent(
        DisclosureConsent(
            patient=alice, client=client, purpose=purpose,
            purpose_text="State registry reporting" if purpose == "other" else "",
            starts_on=TODAY + dt.timedelta(days=days[0]),
            ends_on=TODAY + dt.timedelta(days=days[1]),
        ),
        prescriber,
    )  # fmt: skip


def score_ids(bundle):
    return {r["id"] for r in entries(bundle) if r["resourceType"] == "Observation"}


def outcomes(bundle):
    return [e for e in bundle.get("entry", []) if e["search"]["mode"] == "outcome"]


def test_without_consent_sud_records_are_withheld_with_consent_disclosed(
    api, records, alice, client, prescriber
):
    audit_c = f"score-{records['audit_c'].pk}"
    phq9 = f"score-{records['phq9'].pk}"
    params = {"patient": alice.pk, "category": "survey"}
    reader = api()

    bundle = reader.get("/fhir/Observation", params).json()
    validate(bundle)
    assert phq9 in score_ids(bundle) and audit_c not in score_ids(bundle)
    [note] = outcomes(bundle)
    assert "42 CFR Part 2" in note["resource"]["issue"][0]["diagnostics"]
    read = reader.get(f"/fhir/Observation/{audit_c}")
    assert read.status_code == 403
    assert "42 CFR Part 2" in read.json()["issue"][0]["diagnostics"]
    answers = reader.get(f"/fhir/QuestionnaireResponse/{records['audit_c'].pk}")
    assert answers.status_code == 403
    assert not Disclosure.objects.exists()

    consent(alice, client, prescriber)
    reader = api()  # a new token: the consents in force are read per request
    bundle = reader.get("/fhir/Observation", params).json()
    validate(bundle)
    assert {phq9, audit_c} <= score_ids(bundle) and not outcomes(bundle)
    disclosed = next(r for r in entries(bundle) if r["id"] == audit_c)
    assert {s["code"] for s in disclosed["meta"]["security"]} >= {"42CFRPart2", "NORDSCLCD"}
    assert serializer.NOTICE_TAG in disclosed["meta"]["tag"]
    assert "prohibits unauthorized use or disclosure" in json.dumps(disclosed)
    plain = next(r for r in entries(bundle) if r["id"] == phq9)
    assert "tag" not in plain["meta"]
    # One accounting row for the search, naming client, consent and what left.
    row = Disclosure.objects.get()
    assert (row.patient, row.client, row.purpose, row.count) == (alice, client, "treatment", 1)
    assert row.consent is not None and row.resource_types == "Observation (1)"
    one = reader.get(f"/fhir/Observation/{audit_c}")
    assert one.status_code == 200 and serializer.NOTICE_TAG in one.json()["meta"]["tag"]
    assert Disclosure.objects.count() == 2
    # Data without Part 2 labels is not a Part 2 disclosure.
    reader.get("/fhir/Patient")
    assert Disclosure.objects.count() == 2


@pytest.mark.parametrize("state", ["revoked", "expired", "not-yet", "other-client"])
def test_a_consent_not_in_force_withholds(api, records, alice, client, prescriber, state, boston):
    if state == "other-client":
        other = type(client).objects.create(
            name="Payer", client_id="payer", organization=boston.organization,
            jwks=client.jwks, scopes="system/*.rs",
        )  # fmt: skip
        consent(alice, other, prescriber)
    elif state == "revoked":
        revoke_consent(consent(alice, client, prescriber), prescriber)
    else:
        consent(alice, client, prescriber, days=(-30, -1) if state == "expired" else (1, 30))
    audit_c = f"score-{records['audit_c'].pk}"
    bundle = api().get("/fhir/Observation", {"patient": alice.pk}).json()
    assert audit_c not in score_ids(bundle) and outcomes(bundle)
    assert api().get(f"/fhir/Observation/{audit_c}").status_code == 403
    assert not Disclosure.objects.exists()


def test_staff_session_reads_are_the_clinics_own_use(records, alice, nurse):
    bundle = signed_in(nurse).get("/fhir/Observation", {"patient": alice.pk}).json()
    assert f"score-{records['audit_c'].pk}" in score_ids(bundle)
    assert not outcomes(bundle)
    assert not Disclosure.objects.exists()


def test_part2_consent_is_a_valid_fhir_consent(api, records, alice, client, prescriber):
    row = consent(alice, client, prescriber, purpose="other")
    resource = api().get(f"/fhir/Consent/part2-{row.pk}").json()
    validate(resource)
    assert resource["status"] == "active"
    assert resource["scope"]["coding"][0]["code"] == "patient-privacy"
    assert resource["category"][0]["coding"][0]["code"] == "59284-0"
    actor = resource["provision"]["actor"][0]["reference"]
    assert actor["identifier"]["value"] == "registry"
    assert resource["provision"]["purpose"] == [{"display": "State registry reporting"}]
    assert resource["provision"]["period"]["end"] == (TODAY + dt.timedelta(days=30)).isoformat()
    found = api().get("/fhir/Consent", {"patient": alice.pk, "status": "active"}).json()
    assert f"part2-{row.pk}" in {r["id"] for r in entries(found)}
    revoke_consent(row, prescriber)
    # Revoked, the consent is itself Part 2 data the client no longer receives.
    assert api().get(f"/fhir/Consent/part2-{row.pk}").status_code == 403


def test_bulk_export_withholds_and_accounts_once(api, records, alice, client, prescriber,
                                                 run_worker):  # fmt: skip
    def exported() -> list[dict]:
        reader = api()
        status_url = kick(reader, _type="Observation,QuestionnaireResponse")
        run_worker()
        found = []
        for item in reader.get(status_url).json()["output"]:
            body = b"".join(reader.get(item["url"]).streaming_content).decode()
            found += [json.loads(line) for line in body.splitlines()]
        return found

    ids = {r["id"] for r in exported()}
    assert f"score-{records['audit_c'].pk}" not in ids and str(records["audit_c"].pk) not in ids
    assert f"score-{records['phq9'].pk}" in ids
    assert not Disclosure.objects.exists()

    consent(alice, client, prescriber)
    found = exported()
    labelled = [r for r in found if serializer.is_part2(r)]
    assert len(labelled) == 2
    assert all(serializer.NOTICE_TAG in r["meta"]["tag"] for r in labelled)
    row = Disclosure.objects.get()
    assert row.count == 2
    assert row.resource_types == "Observation (1), QuestionnaireResponse (1)"


def test_unauthenticated_reader_sees_nothing(records):
    assert HttpClient().get("/fhir/Observation").status_code == 401


def test_the_chart_shows_and_staff_export_the_accounting(
    api, records, alice, client, prescriber, nurse, front_desk, clinic_admin, charlie
):
    from django.urls import reverse

    consent(alice, client, prescriber)
    api().get("/fhir/Observation", {"patient": alice.pk})
    page = signed_in(prescriber).get(reverse("patients:chart", args=[alice.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Accounting of disclosures" in text and "State registry" in text
    url = reverse("disclosures:csv", args=[alice.pk])
    for staff in (nurse, clinic_admin):
        response = signed_in(staff).get(url)
        assert response.status_code == 200
        lines = b"".join(response.streaming_content).decode().splitlines()
        assert lines[0].startswith("Date,Recipient,Purpose")
        assert len(lines) == 2 and "State registry" in lines[1] and "Observation (1)" in lines[1]
    assert signed_in(front_desk).get(url).status_code in (403, 404)
    assert signed_in(nurse).get(reverse("disclosures:csv", args=[charlie.pk])).status_code == 404


def test_medical_emergency_breaks_the_glass_logged_and_mailed(
    api, records, alice, client, clinic_admin
):
    from dendrite.audit.models import AuditEvent
    from dendrite.mail import Email

    audit_c = f"score-{records['audit_c'].pk}"
    reader = api()
    response = reader.get(
        f"/fhir/Observation/{audit_c}", HTTP_X_PART2_EMERGENCY="Unresponsive in the ED"
    )
    assert response.status_code == 200
    assert serializer.NOTICE_TAG in response.json()["meta"]["tag"]
    row = Disclosure.objects.get()
    assert row.consent is None and row.exception == "Medical emergency: Unresponsive in the ED"
    assert AuditEvent.objects.filter(action="fhir.part2.emergency", patient_id=alice.pk).exists()
    email = Email.objects.get()
    assert email.to == [clinic_admin.email]
    assert alice.last_name not in email.subject and alice.mrn not in email.subject
    assert "Unresponsive in the ED" in email.body
    # Without the header the same read is withheld again.
    assert reader.get(f"/fhir/Observation/{audit_c}").status_code == 403


def test_clinic_admin_records_a_consent_in_the_back_office(records, alice, client, clinic_admin):
    from django.contrib.auth.models import Permission

    from dendrite.audit.models import AuditEvent

    # Back-office rights are given by a superuser (a group), as for FHIR clients.
    clinic_admin.is_staff = True
    clinic_admin.save()
    clinic_admin.user_permissions.set(
        Permission.objects.filter(content_type__app_label="fhir", codename__endswith="consent")
    )
    office = signed_in(clinic_admin)
    assert office.get("/admin/fhir/disclosureconsent/add/").status_code == 200
    form = {"patient": alice.pk, "client": client.pk, "purpose": "other", "purpose_text": "",
            "starts_on": TODAY, "ends_on": TODAY - dt.timedelta(days=1)}  # fmt: skip
    refused = office.post("/admin/fhir/disclosureconsent/add/", form)
    assert refused.status_code == 200 and not DisclosureConsent.objects.exists()
    form |= {"purpose_text": "Care coordination", "ends_on": (TODAY + dt.timedelta(days=9))}
    done = office.post("/admin/fhir/disclosureconsent/add/", form)
    assert done.status_code == 302, done.content
    row = DisclosureConsent.objects.get()
    assert row.recorded_by == clinic_admin
    assert AuditEvent.objects.filter(action="fhir.part2_consent.record").exists()
