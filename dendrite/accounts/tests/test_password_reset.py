"""Password reset by e-mail: queued, never revealing whether an address exists."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from dendrite.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_reset_link_arrives_and_sets_a_new_password_which_also_unlocks(
    client, nurse, run_worker, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": nurse.username, "password": "nope"})
    response = client.post(reverse("accounts:password_reset"), {"email": nurse.email})
    assert response.status_code == 302
    assert mail.outbox == []  # queued, not sent in the request
    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Dendrite password"
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "a-brand-new-password-99"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    nurse.refresh_from_db()
    assert nurse.check_password(new_password)
    assert not AccessAttempt.objects.filter(username=nurse.username).exists()
    assert AuditEvent.objects.filter(action="auth.password_reset", actor_id=nurse.pk).exists()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, run_worker):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    run_worker()
    assert mail.outbox == []


def test_a_used_or_bad_link_says_so_kindly(client):
    response = client.get("/accounts/password-reset/MQ/bad-token/")
    assert response.status_code == 200
    assert b"This link no longer works" in response.content
