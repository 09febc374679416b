"""The check-in tablet: the front desk parks its session on the patient's questionnaire;
no staff page can be reached until a staff password unlocks it."""

import datetime as dt

from django.utils import timezone

from dendrite.conftest import PASSWORD, signed_in
from dendrite.outcomes.models import QuestionnaireRequest
from dendrite.patients.models import QuestionnaireResponse

from .conftest import infusion_at, phq9


def start(front_desk, patient, nurse):
    visit = infusion_at(patient, timezone.now() + dt.timedelta(minutes=10), nurse)
    client = signed_in(front_desk)
    response = client.post(f"/staff/appointments/{visit.pk}/check-in-tablet/")
    return client, visit, response


def finish(client):
    client.post("/questionnaire/phq-9/", phq9())
    shown = ["q1", "q2", "q6"]
    answers = {"shown": shown, "q1": "no", "q2": "no", "q6": "no"}
    return client.post("/questionnaire/c-ssrs-screener/", answers, follow=True)


def test_the_tablet_shows_only_the_patients_questionnaire(depressed_alice, front_desk, nurse):
    client, _, response = start(front_desk, depressed_alice, nurse)
    assert response["Location"] == "/questionnaire/"
    page = client.get("/questionnaire/phq-9/").content.decode()
    assert "Questionnaire 1 of 2" in page
    for staff_thing in (front_desk.username, "Sign out", "/staff/", "Lovelace"):
        assert staff_thing not in page
    # Every staff page leads back to the questionnaire while the tablet is out.
    for path in ("/staff/", f"/staff/patients/{depressed_alice.pk}/", "/admin/"):
        assert client.get(path)["Location"] == "/questionnaire/"


def test_it_completes_and_locks_back_needing_the_password(depressed_alice, front_desk, nurse):
    client, visit, _ = start(front_desk, depressed_alice, nurse)
    response = finish(client)
    assert b"hand the tablet back" in response.content
    assert set(QuestionnaireResponse.objects.values_list("source", flat=True)) == {"check_in"}
    locked = client.post("/questionnaire/hand-back/", follow=True)
    assert b"Please hand the tablet back" in locked.content
    assert client.get("/staff/schedule/")["Location"] == "/questionnaire/"
    wrong = client.post("/questionnaire/locked/", {"password": "not-it"})
    assert b"That password is not right" in wrong.content
    assert client.get("/staff/schedule/")["Location"] == "/questionnaire/"
    back = client.post("/questionnaire/locked/", {"password": PASSWORD})
    assert back["Location"] == f"/staff/schedule/appointments/{visit.pk}/"
    assert client.get("/staff/schedule/")["Location"].startswith("/staff/schedule/")


def test_the_patient_cannot_go_back_to_the_questions_once_locked(
    depressed_alice, front_desk, nurse
):
    client, _, _ = start(front_desk, depressed_alice, nurse)
    client.post("/questionnaire/hand-back/")
    assert client.get("/questionnaire/phq-9/")["Location"] == "/questionnaire/locked/"


def test_five_wrong_passwords_end_the_staff_session(depressed_alice, front_desk, nurse):
    client, _, _ = start(front_desk, depressed_alice, nurse)
    client.post("/questionnaire/hand-back/")
    for _ in range(5):
        response = client.post("/questionnaire/locked/", {"password": "guess"})
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/staff/schedule/")["Location"].startswith("/accounts/login/")


def test_the_tablet_uses_the_link_already_sent_and_keeps_its_answers(
    depressed_alice, front_desk, nurse
):
    client, visit, _ = start(front_desk, depressed_alice, nurse)
    client.post("/questionnaire/phq-9/", phq9())
    client.post("/questionnaire/hand-back/")
    client.post("/questionnaire/locked/", {"password": PASSWORD})
    client.post(f"/staff/appointments/{visit.pk}/check-in-tablet/")
    assert QuestionnaireRequest.objects.count() == 1
    assert client.get("/questionnaire/", follow=True).redirect_chain[-1][0] == (
        "/questionnaire/c-ssrs-screener/"
    )


def test_nothing_due_says_so_and_stays_on_the_staff_view(bob, front_desk, nurse):
    client, visit, response = start(front_desk, bob, nurse)
    assert response["Location"] == f"/staff/schedule/appointments/{visit.pk}/"
    assert client.get("/staff/schedule/")["Location"].startswith("/staff/schedule/")


def test_another_locations_appointment_is_not_found(charlie, front_desk, prescriber_hartford):
    visit = infusion_at(charlie, timezone.now() + dt.timedelta(minutes=10), prescriber_hartford)
    client = signed_in(front_desk)
    assert client.post(f"/staff/appointments/{visit.pk}/check-in-tablet/").status_code == 404
