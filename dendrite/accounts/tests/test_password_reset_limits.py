"""Password-reset requests are limited per account (no mailbox flooded with links) and
per address (no sweep of the staff list); over a limit the answer looks the same."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from dendrite.accounts.models import Role
from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def ask(client, email: str, address: str):
    response = client.post(
        reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address
    )
    assert response.status_code == 302  # the same "sent" page, whatever happened
    assert response.url == reverse("accounts:password_reset_done")


def test_one_account_gets_at_most_three_links_an_hour_from_any_number_of_addresses(
    client, nurse, run_worker
):
    for number in range(6):
        ask(client, nurse.email, f"203.0.113.{number}")
    run_worker()
    assert len(mail.outbox) == 3
    limited = AuditEvent.objects.filter(action="auth.password_reset_limited")
    assert limited.count() == 3
    assert set(limited.values_list("detail__limit", flat=True)) == {"account"}


def test_one_address_makes_at_most_ten_requests_an_hour_across_accounts(client, boston, run_worker):
    staff = [make_user(f"user{number}_x", Role.NURSE, boston) for number in range(12)]
    for user in staff:
        ask(client, user.email, "203.0.113.66")
    run_worker()
    assert len(mail.outbox) == 10
    # Another address is not held up.
    ask(client, staff[-1].email, "198.51.100.10")
    run_worker()
    assert len(mail.outbox) == 11


def test_the_limits_are_settings(client, nurse, run_worker, settings):
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = 1
    for _ in range(2):
        ask(client, nurse.email, "203.0.113.1")
    run_worker()
    assert len(mail.outbox) == 1
