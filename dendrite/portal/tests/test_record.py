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


# Who the substance-use records were shared with (42 CFR Part 2's accounting)


def registry(location, name="State registry"):
    from dendrite.fhir.models import Client

    client = Client.objects.create(name=name, client_id=name.lower().replace(" ", "-"),
                                   organization=location.organization, jwks={"keys": []},
                                   scopes="system/*.rs")  # fmt: skip
    client.locations.set([location])
    return client


def disclose(patient, client, *, consent=None, exception="", days_ago=0):
    import datetime as dt

    from django.utils import timezone

    from dendrite.fhir.models import Disclosure

    return Disclosure.objects.create(
        patient=patient, client=client, consent=consent,
        purpose=consent.purpose if consent else "treatment", exception=exception,
        resource_types="Condition (1)", count=1,
        at=timezone.now() - dt.timedelta(days=days_ago),
    )  # fmt: skip


def consent_for(patient, client, by, purpose="payment"):
    import datetime as dt

    from dendrite.fhir.models import DisclosureConsent

    return DisclosureConsent.objects.create(
        patient=patient, client=client, purpose=purpose, starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 12, 31), recorded_by=by,
    )  # fmt: skip


def test_the_patient_sees_who_their_records_were_shared_with(alice_in, bob_in, nurse):
    from dendrite.audit.models import AuditEvent

    payer = registry(alice_in.location, "Blue Harbor Health Plan")
    disclose(alice_in, payer, consent=consent_for(alice_in, payer, nurse), days_ago=2)
    disclose(alice_in, registry(alice_in.location, "Mercy Emergency Department"),
             exception="Medical emergency: unconscious, overdose suspected")  # fmt: skip
    disclose(bob_in, registry(bob_in.location, "Hopper Insurance"))
    page = portal_client(alice_in).get("/portal/record/").content.decode()
    assert "Who your substance-use records were shared with" in page
    assert "Blue Harbor Health Plan" in page and "Payment for your care" in page
    assert "Your written consent, for Mon, Jan 5, 2026 to Thu, Dec 31, 2026" in page
    assert "Mercy Emergency Department" in page and "A medical emergency" in page
    assert "overdose" not in page  # staff's stated reason stays in the staff accounting
    assert page.index("Mercy Emergency") < page.index("Blue Harbor")  # newest first
    assert "Hopper" not in page  # Bob's
    read = AuditEvent.objects.get(action="portal.disclosures.read")
    assert read.patient_id == str(alice_in.pk) and read.detail == {"count": 2}


def test_shared_with_nobody_and_in_spanish(alice_in, nurse):
    client = portal_client(alice_in)
    assert b"have not been shared with anyone" in client.get("/portal/record/").content
    disclose(alice_in, registry(alice_in.location), exception="Medical emergency: x")
    client.cookies["django_language"] = "es"
    page = client.get("/portal/record/").content.decode()
    assert "Con quién se compartieron sus registros" in page
    assert "Una emergencia médica" in page and "Su atención médica" in page
