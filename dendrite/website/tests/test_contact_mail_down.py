"""The mail-down guarantee: with the mail server refusing every connection, an inquiry
is stored and the person gets the usual answer; when mail comes back, each e-mail goes
out exactly once (DESIGN.md: nothing on the patient's path may lose data)."""

import pytest
from django.core import mail

from dendrite.leads.models import Lead
from dendrite.mail import retry_delay
from dendrite.outbox.models import Email
from dendrite.tests.test_mail import MAIL_SERVER_DOWN, MAIL_SERVER_UP, MailServerDown

from .helpers import THANKS, inquiry, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_down(settings):
    MailServerDown.attempts = 0
    settings.MAILERS = MAIL_SERVER_DOWN
    return settings


def test_an_inquiry_sent_while_mail_is_down_is_stored_and_mailed_once_mail_is_back(
    client, inboxes, mail_server_down, frozen, run_worker
):
    settings = mail_server_down
    response = send(client, frozen, inquiry(inboxes["boston"]))
    assert response.status_code == 302 and response.url == THANKS
    assert client.get(THANKS).status_code == 200
    lead = Lead.objects.get()

    run_worker()  # both sends fail and are put back with a delay
    assert mail.outbox == []
    assert MailServerDown.attempts == 2
    assert sorted(Email.objects.values_list("status", "attempts")) == [("pending", 1)] * 2

    settings.MAILERS = MAIL_SERVER_UP
    frozen.shift(retry_delay(1))
    run_worker()
    frozen.shift(retry_delay(2) * 10)
    run_worker()  # nothing is left to send twice

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [inboxes["boston"].email, lead.email]
    )
    assert Lead.objects.count() == 1
    assert set(Email.objects.values_list("status", flat=True)) == {"sent"}
