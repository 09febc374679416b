"""The sign-in pages and their e-mails carry the clinic's name, never the server's host and
port (Django's own views name the site after the request's host)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from dendrite.accounts import actions

CLINIC = "Harbor Ketamine Clinic"
HOST = "clinic.example.org:8443"


@pytest.fixture(autouse=True)
def named(settings):
    settings.DENDRITE_SITE_NAME = CLINIC
    settings.ALLOWED_HOSTS = ["clinic.example.org", "testserver"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["accounts:login", "accounts:password_reset", "accounts:password_reset_done"]
)
def test_the_sign_in_pages_are_named_after_the_clinic(name):
    page = Client().get(reverse(name), HTTP_HOST=HOST).content.decode()
    assert CLINIC in page
    assert "clinic.example.org" not in page and "8443" not in page


def test_the_welcome_e_mail_is_named_after_the_clinic(front_desk, run_worker):
    actions.queue_password_link(front_desk, welcome=True)
    run_worker()
    (message,) = mail.outbox
    assert CLINIC in message.subject and CLINIC in message.body
    assert "Dendrite" not in message.body
