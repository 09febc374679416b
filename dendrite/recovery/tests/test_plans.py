"""The safety plan and the relapse-prevention plan: written with the patient, signed
with the clinician's own code, a new version on change, printable and as PDF in English
and Spanish, with a generic file name."""

from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import current_code, signed_in
from dendrite.recovery.models import Plan

SAFETY = {
    "warning_signs": "Not sleeping, skipping meals",
    "coping": "Walk the dog",
    "distractions": "Coffee shop on Elm St",
    "helpers": "Sam (sister) 617-555-0100",
    "professionals": "Dr. Rivera",
    "environment": "Give the car keys to Sam",
}


def sign(client, patient, kind="safety", code="", **content):
    url = reverse("recovery:plan_edit", args=[patient.pk, kind])
    return client.post(url, {**content, "code": code})


def test_a_safety_plan_is_signed_with_the_clinicians_code(alice, nurse) -> None:
    client = signed_in(nurse)
    assert client.get(reverse("recovery:plan_edit", args=[alice.pk, "safety"])).status_code == 200
    response = sign(client, alice, code=current_code(nurse), **SAFETY)
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert (plan.version, plan.kind, plan.signed_by) == (1, "safety", nurse)
    assert plan.content["helpers"] == SAFETY["helpers"]
    assert AuditEvent.objects.filter(action="recovery.plan.sign").exists()
    page = client.get(reverse("recovery:plan", args=[plan.pk])).content.decode()
    assert "Step 6: Making my surroundings safer" in page
    assert "Give the car keys to Sam" in page
    assert "988" in page
    assert "Version 1, signed by Nora Tester" in page


def test_without_the_code_or_with_a_wrong_one_nothing_is_signed(alice, nurse) -> None:
    client = signed_in(nurse)
    response = sign(client, alice, **SAFETY)
    assert response.status_code == 400
    assert "Walk the dog" in response.content.decode()  # kept as typed
    response = sign(client, alice, code="000000", **SAFETY)
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_an_empty_plan_is_refused(alice, nurse) -> None:
    response = sign(signed_in(nurse), alice, code=current_code(nurse))
    assert response.status_code == 400
    assert "at least one section" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_change_is_a_new_version_and_the_old_one_is_kept(alice, nurse, prescriber) -> None:
    sign(signed_in(nurse), alice, code=current_code(nurse), **SAFETY)
    client = signed_in(prescriber)
    form = client.get(reverse("recovery:plan_edit", args=[alice.pk, "safety"])).content.decode()
    assert "Walk the dog" in form  # the new version starts from the current one
    sign(client, alice, code=current_code(prescriber), **(SAFETY | {"coping": "Call Sam"}))
    old, new = Plan.objects.order_by("version")
    assert (old.version, new.version) == (1, 2)
    assert old.content["coping"] == "Walk the dog"
    assert new.content["coping"] == "Call Sam"
    page = client.get(reverse("recovery:plan", args=[old.pk])).content.decode()
    assert "This is an earlier version" in page


def test_the_relapse_prevention_plan_has_its_own_sections(alice, nurse) -> None:
    client = signed_in(nurse)
    sign(client, alice, kind="relapse", code=current_code(nurse), triggers="Friday nights")
    plan = Plan.objects.get(kind="relapse")
    page = client.get(reverse("recovery:plan", args=[plan.pk])).content.decode()
    assert "My reasons for change" in page
    assert "Friday nights" in page


def test_the_pdf_in_english_and_spanish_with_a_generic_name(alice, nurse) -> None:
    client = signed_in(nurse)
    sign(client, alice, code=current_code(nurse), **SAFETY)
    plan = Plan.objects.get()
    for language in ("en", "es"):
        url = reverse("recovery:plan_pdf", args=[plan.pk]) + f"?language={language}"
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Content-Disposition"] == 'inline; filename="safety-plan.pdf"'
        assert "no-store" in response["Cache-Control"]
    spanish = client.get(reverse("recovery:plan", args=[plan.pk]) + "?language=es")
    body = spanish.content.decode()
    assert "Paso 6: Hacer más seguro mi entorno" in body
    assert "Give the car keys to Sam" in body  # the clinician's text as written


def test_plans_are_for_clinicians_at_the_patients_location(
    alice, nurse, front_desk, clinic_admin, prescriber_hartford, client
) -> None:
    sign(signed_in(nurse), alice, code=current_code(nurse), **SAFETY)
    plan = Plan.objects.get()
    urls = [
        reverse("recovery:plan", args=[plan.pk]),
        reverse("recovery:plan_pdf", args=[plan.pk]),
        reverse("recovery:plan_edit", args=[alice.pk, "safety"]),
    ]
    for user in (front_desk, clinic_admin, prescriber_hartford):
        for url in urls:
            assert signed_in(user).get(url).status_code in (403, 404)
    for url in urls:
        assert client.get(url).status_code == 302  # to sign-in
    assert (
        signed_in(nurse).get(reverse("recovery:plan_edit", args=[alice.pk, "x"])).status_code == 404
    )
