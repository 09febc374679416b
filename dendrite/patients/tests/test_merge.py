"""Merging two charts of one person (patients.actions.merge_patients) and undoing it.

The rows of every model that points at a patient move, found generically; rows the
database refuses to change (a signed note, the ketamine log) or that would be a second
of what the survivor has only one of stay with the tombstone. Undo puts back exactly
what moved. Tests may import the apps above patients: they build a row in each.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dendrite.accounts.models import Role
from dendrite.accounts.step_up import SESSION_KEY
from dendrite.alerts.actions import raise_alert
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location, Organization
from dendrite.conftest import current_code, make_patient, make_user, signed_in
from dendrite.leads.actions import create_lead
from dendrite.leads.models import Source
from dendrite.patients import actions
from dendrite.patients.actions import Refused, _relations, merge_patients, undo_merge
from dendrite.patients.models import (
    Consent,
    Contact,
    HistoryAnswer,
    Patient,
    PatientMerge,
)

pytestmark = pytest.mark.django_db

BORN = dt.date(1988, 7, 14)


@pytest.fixture
def pair(boston):
    survivor = make_patient(boston, "Casey", "Morgan", date_of_birth=BORN,
                            email="casey@example.test")  # fmt: skip
    merged = make_patient(boston, "Casey", "Morgan", date_of_birth=BORN,
                          email="CASEY@example.test", phone="+16175550199",
                          city="Cambridge")  # fmt: skip
    return survivor, merged


def fill(patient, nurse, prescriber, hour):
    """A row in as many of the models that point at a patient as the test can make."""
    from dendrite.notes import actions as notes
    from dendrite.scheduling.models import Kind
    from dendrite.scheduling.tests.conftest import local, make_appointment, next_weekday
    from dendrite.worklist.actions import open_task

    Contact.objects.create(patient=patient, kind="emergency", name="Pat", phone="+16175550100")
    Consent.objects.create(patient=patient, kind="treatment", status="given",
                           date=dt.date.today(), recorded_by=nurse)  # fmt: skip
    HistoryAnswer.objects.create(patient=patient, item="hypertension", answer="no",
                                 updated_by=nurse)  # fmt: skip
    lead = create_lead(source=Source.INQUIRY, location=patient.location, name="Casey",
                       email="casey@example.test")  # fmt: skip
    lead.patient = patient
    lead.save()
    raise_alert(location=patient.location, flags=["suicide-risk"], source="clinic",
                reasons=[], patient=patient)  # fmt: skip
    day = next_weekday(1)
    make_appointment(patient, Kind.CONSULTATION, local(patient.location, day, hour), nurse)
    open_task(patient=patient, kind="call", title="Call back", due_on=day, role=Role.NURSE)
    draft = notes.start_note(patient, "consultation", by=prescriber)
    signed = notes.start_note(patient, "consultation", by=prescriber)
    notes.sign(signed, ["Written."] * len(signed.sections), by=prescriber)
    return {"draft": draft, "signed": signed}


def pointing_at(patient):
    """{"app.model.field": {pks}} of every row that points at the patient."""
    found = {}
    for model, field in _relations():
        pks = set(model._base_manager.filter(**{field: patient}).values_list("pk", flat=True))
        if pks:
            found[f"{model._meta.label_lower}.{field}"] = pks
    return found


def test_the_merge_moves_every_row_it_may_and_undo_puts_back_exactly_those(
    pair, nurse, prescriber, clinic_admin
):
    survivor, merged = pair
    fill(survivor, nurse, prescriber, 10)
    notes = fill(merged, nurse, prescriber, 13)
    before_survivor, before_merged = pointing_at(survivor), pointing_at(merged)

    merge = merge_patients(survivor, merged, take=["phone", "city"], by=clinic_admin)

    after_merged = pointing_at(merged)
    assert after_merged == {key: set(pks) for key, pks in merge.kept.items()}
    # What stayed: the signed note (locked by the database), the second answer to the
    # same history item (one per item); everything else moved, of every kind.
    assert after_merged == {
        "notes.note.patient": {notes["signed"].pk},
        "patients.historyanswer.patient": before_merged["patients.historyanswer.patient"],
    }
    for key, pks in before_merged.items():
        assert set(merge.moved.get(key, [])) | set(merge.kept.get(key, [])) == pks
    assert set(merge.moved) >= {
        "alerts.safetyalert.patient", "leads.lead.patient", "notes.note.patient",
        "patients.consent.patient", "patients.contact.patient",
        "scheduling.appointment.patient", "worklist.stafftask.patient",
    }  # fmt: skip
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert (survivor.phone, survivor.city, survivor.email) == (
        "+16175550199", "Cambridge", "casey@example.test",
    )  # fmt: skip
    assert merged.merged_into == survivor
    assert merge.previous["phone"] == "" and merge.chosen["phone"] == "+16175550199"
    assert AuditEvent.objects.filter(action="patients.patient.merge",
                                     patient_id=str(survivor.pk)).exists()  # fmt: skip

    undo_merge(merge, by=clinic_admin)

    assert pointing_at(survivor) == before_survivor
    assert pointing_at(merged) == before_merged
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert (survivor.phone, survivor.city) == ("", "")
    assert merged.merged_into is None
    merge.refresh_from_db()
    assert merge.undone_by == clinic_admin


def test_undo_is_refused_after_the_window(pair, clinic_admin, settings):
    survivor, merged = pair
    merge = merge_patients(survivor, merged, by=clinic_admin)
    PatientMerge.objects.filter(pk=merge.pk).update(
        merged_at=timezone.now() - dt.timedelta(days=settings.PATIENT_MERGE_UNDO_DAYS, seconds=1)
    )
    merge.refresh_from_db()
    with pytest.raises(Refused, match="30 days"):
        undo_merge(merge, by=clinic_admin)
    assert Patient.objects.get(pk=merged.pk).merged_into_id == survivor.pk


def test_undo_keeps_a_demographic_changed_since(pair, clinic_admin, front_desk):
    survivor, merged = pair
    merge = merge_patients(survivor, merged, take=["phone", "city"], by=clinic_admin)
    survivor.refresh_from_db()
    survivor.city = "Somerville"
    actions.change_patient(survivor, by=front_desk, changed=["city"])
    undo_merge(merge, by=clinic_admin)
    survivor.refresh_from_db()
    assert (survivor.phone, survivor.city) == ("", "Somerville")


def test_a_tombstone_is_hidden_and_its_chart_leads_to_the_survivor(pair, clinic_admin, nurse):
    survivor, merged = pair
    merge_patients(survivor, merged, by=clinic_admin)
    client = signed_in(nurse)
    response = client.get(reverse("patients:chart", args=[merged.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("patients:chart", args=[survivor.pk])
    assert f"Chart {merged.mrn} was merged into {survivor.mrn}" in response.content.decode()
    listing = client.get(reverse("patients:patient_list"), {"q": "Morgan"}).content.decode()
    assert survivor.mrn in listing and merged.mrn not in listing


def test_the_survivors_access_history_includes_the_merged_charts_entries(pair, clinic_admin,
                                                                          nurse):  # fmt: skip
    survivor, merged = pair
    signed_in(nurse).get(reverse("patients:chart", args=[merged.pk]))  # opened before the merge
    merge_patients(survivor, merged, by=clinic_admin)
    page = signed_in(clinic_admin).get(reverse("patients:access_history", args=[survivor.pk]))
    text = page.content.decode()
    assert f"(on merged chart {merged.mrn})" in text
    assert "Nora Tester" in text


def test_an_admin_merges_through_the_screens_with_their_code_and_undoes(pair, clinic_admin):
    survivor, merged = pair
    client = signed_in(clinic_admin)
    start = client.get(reverse("patients:merge_start", args=[survivor.pk])).content.decode()
    assert merged.mrn in start and "same date of birth" in start
    url = reverse("patients:merge_compare", args=[survivor.pk, merged.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Cambridge" in page.content.decode()
    refused = client.post(
        url, {"take_city": "take", "take_phone": "take", "take_email": "keep", "code": ""}
    )
    assert refused.status_code == 400 and not PatientMerge.objects.exists()
    done = client.post(url, {"take_city": "take", "take_phone": "keep", "take_email": "keep",
                             "code": current_code(clinic_admin)})  # fmt: skip
    merge = PatientMerge.objects.get()
    assert done.url == reverse("patients:merge_detail", args=[merge.pk])
    assert Patient.objects.get(pk=survivor.pk).city == "Cambridge"
    detail = client.get(done.url).content.decode()
    assert "Undo this merge" in detail
    undo = client.post(
        reverse("patients:merge_undo", args=[merge.pk]), {"code": ""}
    )  # code still fresh
    assert undo.status_code == 302
    assert Patient.objects.get(pk=merged.pk).merged_into is None


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.NURSE, Role.PRESCRIBER])
def test_only_clinic_admins_merge(pair, boston, role):
    survivor, merged = pair
    user = make_user(f"someone_{role}", role, boston)
    client = signed_in(user)
    session = client.session
    session[SESSION_KEY] = timezone.now().timestamp()
    session.save()
    url = reverse("patients:merge_compare", args=[survivor.pk, merged.pk])
    assert client.post(url, {}).status_code in (403, 404)
    assert not PatientMerge.objects.exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        merge_patients(survivor, merged, by=user)


def test_charts_of_another_organisation_or_location_are_out_of_reach(pair, hartford,
                                                                     clinic_admin):  # fmt: skip
    survivor, _ = pair
    elsewhere = Organization.objects.create(slug="elsewhere", name="Elsewhere", mrn_prefix="EL")
    location = Location.objects.create(
        organization=elsewhere, slug="el", name="Elsewhere", street="1 Way", city="Boston",
        state="MA", postal_code="02116", phone="+16175550111", time_zone="America/New_York",
    )  # fmt: skip
    stranger = make_patient(location, "Casey", "Morgan", date_of_birth=BORN)
    client = signed_in(clinic_admin)
    url = reverse("patients:merge_compare", args=[survivor.pk, stranger.pk])
    assert client.get(url).status_code == 404
    start = client.get(reverse("patients:merge_start", args=[survivor.pk])).content.decode()
    assert stranger.mrn not in start
    with pytest.raises(Refused):
        merge_patients(survivor, stranger, by=clinic_admin)


def test_the_ketamine_log_stays_with_the_tombstone_unchanged(pair, nurse, prescriber,
                                                             clinic_admin):  # fmt: skip
    from dendrite.controlled.models import Movement
    from dendrite.controlled.tests.conftest import administer, infusion_for, receive

    survivor, merged = pair
    vial = receive(merged.location, nurse).vials.order_by("number").first()
    movement = administer(vial, infusion_for(merged, nurse), nurse, prescriber)
    merge = merge_patients(survivor, merged, by=clinic_admin)
    assert Movement.objects.get(pk=movement.pk).patient_id == merged.pk
    assert merge.kept == {"controlled.movement.patient": [movement.pk]}
    assert "scheduling.appointment.patient" in merge.moved
    page = signed_in(clinic_admin).get(reverse("patients:merge_detail", args=[merge.pk]))
    assert "What stayed with" in page.content.decode()


def test_the_survivors_chart_points_to_what_stayed_and_opens_it(pair, nurse, prescriber,
                                                                clinic_admin):  # fmt: skip
    from dendrite.notes import actions as notes

    survivor, merged = pair
    signed = notes.start_note(merged, "consultation", by=prescriber)
    notes.sign(signed, ["Written."] * len(signed.sections), by=prescriber)
    merge_patients(survivor, merged, by=clinic_admin)
    client = signed_in(prescriber)
    page = client.get(reverse("patients:chart", args=[survivor.pk])).content.decode()
    assert f"Chart {merged.mrn} was merged into this one" in page and "notes (1)" in page
    kept = client.get(reverse("patients:chart", args=[merged.pk]), {"kept": "1"})
    assert kept.status_code == 200
    assert reverse("notes:note", args=[signed.pk]) in kept.content.decode()


def test_the_merge_pages_show_words_not_codes(pair, nurse, prescriber, clinic_admin):
    from dendrite.tests.test_staff_words import Text, codes_in_choices, problems_on

    survivor, merged = pair
    fill(merged, nurse, prescriber, 13)
    merge = merge_patients(survivor, merged, take=["phone", "city", "email"], by=clinic_admin)
    codes = codes_in_choices() | set(AuditEvent.objects.values_list("action", flat=True))
    client = signed_in(clinic_admin)
    urls = [
        reverse("patients:merge_detail", args=[merge.pk]),
        reverse("patients:merge_undo", args=[merge.pk]),
        reverse("patients:access_history", args=[survivor.pk]),
        reverse("patients:access_history", args=[merged.pk]),
    ]
    undo_merge(merge, by=clinic_admin)
    urls += [
        reverse("patients:merge_start", args=[survivor.pk]),
        reverse("patients:merge_compare", args=[survivor.pk, merged.pk]),
        reverse("patients:merge_detail", args=[merge.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = Text()
        text.feed(response.content.decode())
        assert problems_on(text.text, codes=codes, usernames={"adam_admin"}) == [], url


def test_nothing_is_written_to_a_tombstone(pair, clinic_admin, front_desk):
    survivor, merged = pair
    merge_patients(survivor, merged, by=clinic_admin)
    client = signed_in(front_desk)
    assert client.get(reverse("patients:patient_edit", args=[merged.pk])).status_code == 404
    assert client.get(reverse("patients:consent_add", args=[merged.pk])).status_code == 404
