"""Error pages speak kindly and never show what went wrong inside."""

import pytest
from django.test import Client
from django.urls import reverse

from dendrite.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

NEVER_SHOWN = ["Traceback", "secret detail", "RuntimeError", 'File "']


def assert_discreet(response) -> None:
    body = response.content.decode()
    for leak in NEVER_SHOWN:
        assert leak not in body


def test_an_unknown_address_gets_the_kind_not_found_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert_discreet(response)


def test_an_unknown_staff_address_gets_the_same_page(nurse):
    response = signed_in(nurse).get("/staff/no-such-screen/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.urls("dendrite.tests.urls_boom")
def test_a_crash_shows_an_apology_and_nothing_of_the_exception():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert_discreet(response)


@pytest.mark.urls("dendrite.tests.urls_boom")
def test_a_crash_during_a_staff_session_shows_no_personal_detail_either(nurse):
    client = signed_in(nurse)
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert nurse.username not in response.content.decode()
    assert_discreet(response)


def test_a_form_sent_without_its_csrf_token_explains_that_it_expired(nurse):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": nurse.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
    assert_discreet(response)
    assert "_auth_user_id" not in client.session


def test_a_staff_page_for_another_role_says_it_is_not_available(nurse):
    response = signed_in(nurse).get(reverse("accounts:user_list"))
    assert response.status_code == 403
    assert "This page is not available to you" in response.content.decode()
    assert_discreet(response)


def test_the_back_office_for_another_role_says_it_is_not_available(nurse):
    response = signed_in(nurse).get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert "This page is not available to you" in response.content.decode()
