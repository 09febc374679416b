"""The patient's signed links (links.py, views/public.py): confirm, or cancel with a
reason. No sign-in; a changed, expired or wrong-purpose link gets a kind page, never a
500, and changes nothing. Every visit is audited."""

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.scheduling import links
from dendrite.scheduling.models import Kind, Status
from dendrite.scheduling.tests.conftest import local, make_appointment

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def appointment(alice, nurse, time_machine):
    time_machine.move_to(NOW, tick=False)
    return make_appointment(
        alice, Kind.INFUSION, local(alice.location, dt.date(2026, 3, 11), 10), nurse
    )


def path(appointment, purpose):
    return reverse(links.VIEW_FOR[purpose], args=[links.make_token(appointment, purpose)])


def test_the_link_names_the_appointment_and_nothing_about_the_patient(appointment, alice):
    url = links.url(appointment, links.CONFIRM)
    assert url.startswith("http://127.0.0.1:8000/appointment/confirm/")
    for personal in (alice.first_name, alice.last_name, alice.email, alice.phone, alice.mrn):
        assert personal not in url


def test_the_patient_confirms_with_one_button(client, appointment):
    page = client.get(path(appointment, links.CONFIRM))
    assert page.status_code == 200
    assert "Wed, Mar 11, 2026, 10:00 AM EDT" in page.text
    assert "Alice" not in page.text
    response = client.post(path(appointment, links.CONFIRM))
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    again = client.get(path(appointment, links.CONFIRM))
    assert "your appointment is confirmed" in again.text
    reads = AuditEvent.objects.filter(action="scheduling.appointment.read")
    assert reads.filter(patient_id=str(appointment.patient_id)).count() == 3


def test_the_patient_cancels_with_a_reason(client, appointment):
    response = client.post(path(appointment, links.CANCEL), {"reason": "I have the flu."})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason) == (Status.CANCELLED, "I have the flu.")
    assert "Your appointment is cancelled" in client.get(path(appointment, links.CANCEL)).text


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Please tell us in a few words why you cannot come."),
     ("x" * 201, "Please keep the reason to 200 characters or fewer")],
)  # fmt: skip
def test_a_missing_or_too_long_reason_is_explained_and_nothing_changes(
    client, appointment, reason, message
):
    response = client.post(path(appointment, links.CANCEL), {"reason": reason})
    assert response.status_code == 200
    assert message in response.text
    assert "aria-describedby" in response.text or "id_reason_error" in response.text
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


@pytest.mark.parametrize(
    "token",
    ["nonsense", signing.dumps(1, salt="another purpose"), "x" * 300],
)
def test_a_forged_link_gets_a_kind_page(client, appointment, token):
    response = client.get(reverse("scheduling:public_cancel", args=[token]))
    assert response.status_code == 400
    assert "This link does not work" in response.text
    assert AuditEvent.objects.filter(action="scheduling.link.refused").exists()


def test_a_confirm_link_cannot_cancel(client, appointment):
    token = links.make_token(appointment, links.CONFIRM)
    response = client.post(reverse("scheduling:public_cancel", args=[token]), {"reason": "No."})
    assert response.status_code == 400
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_an_expired_link_gets_a_kind_page(client, appointment, time_machine):
    url = path(appointment, links.CONFIRM)
    time_machine.move_to(NOW + links.MAX_AGE + dt.timedelta(minutes=1), tick=False)
    response = client.post(url)
    assert response.status_code == 400
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_a_used_cancel_link_says_it_is_done(client, appointment):
    client.post(path(appointment, links.CANCEL), {"reason": "Away."})
    response = client.post(path(appointment, links.CANCEL), {"reason": "Away again."})
    assert response.status_code == 200
    assert "Your appointment is cancelled" in response.text
    appointment.refresh_from_db()
    assert appointment.cancel_reason == "Away."


def test_a_passed_appointment_cannot_be_changed(client, appointment, time_machine):
    time_machine.move_to(appointment.starts_at + dt.timedelta(hours=1), tick=False)
    response = client.post(path(appointment, links.CONFIRM))
    assert "has passed" in response.text
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_the_form_needs_its_csrf_token(appointment):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path(appointment, links.CONFIRM))
    assert response.status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_pass_axe_and_fit_a_320_pixel_screen(page, live_server, appointment, check_axe):
    page.set_viewport_size({"width": 320, "height": 640})
    for url in (path(appointment, links.CONFIRM), path(appointment, links.CANCEL),
                reverse("scheduling:public_cancel", args=["forged"])):  # fmt: skip
        page.goto(live_server.url + url)
        assert check_axe(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.goto(live_server.url + path(appointment, links.CANCEL))
    page.get_by_role("button", name="Cancel my appointment").click()
    assert page.locator(".errors").count() == 1
    assert check_axe(page) == []


def test_the_pages_speak_spanish_to_a_spanish_browser(client, appointment):
    page = client.get(path(appointment, links.CANCEL), HTTP_ACCEPT_LANGUAGE="es")
    assert "Cancelar su cita" in page.text
    assert "mié 11 mar 2026, 10:00 EDT" in page.text
    response = client.post(
        path(appointment, links.CANCEL), {"reason": ""}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "Díganos en pocas palabras por qué no puede venir." in response.text
