"""My record: who at the clinic opened it, names and roles, the patient's own only."""

from dendrite.conftest import signed_in

from .conftest import portal_client


def test_the_patient_sees_who_opened_their_record(alice_in, bob_in, nurse, prescriber):
    signed_in(nurse).get(f"/staff/patients/{alice_in.pk}/")
    signed_in(prescriber).get(f"/staff/patients/{bob_in.pk}/")
    page = portal_client(alice_in).get("/portal/record/")
    assert page.status_code == 200
    assert nurse.get_full_name().encode() in page.content
    assert b"Nurse" in page.content and b"Looked at it" in page.content
    assert prescriber.get_full_name().encode() not in page.content
    assert nurse.username.encode() not in page.content


def test_in_spanish(alice_in, nurse):
    signed_in(nurse).get(f"/staff/patients/{alice_in.pk}/")
    client = portal_client(alice_in)
    client.cookies["django_language"] = "es"
    page = client.get("/portal/record/")
    assert "Enfermería".encode() in page.content or b"Enfermera" in page.content
