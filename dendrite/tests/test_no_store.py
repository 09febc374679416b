"""Pages with patient or account data tell every browser and cache not to keep them
(Cache-Control: no-store), so the back button or a shared computer's disk shows nothing
after sign-out; public information pages stay cacheable."""

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_chart_questionnaires_leads_and_alerts_are_never_stored(nurse, alice):
    client = signed_in(nurse)
    for url in (
        reverse("patients:chart", args=[alice.pk]),
        reverse("patients:questionnaires", args=[alice.pk]),
        reverse("patients:patient_list"),
        reverse("leads:inbox"),
        reverse("alerts:list"),
        reverse("accounts:home"),
        reverse("scheduling:today"),  # on to today's day view
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert no_store(response), url
        assert "private" in response["Cache-Control"]


def test_even_a_refusal_or_a_missing_chart_is_not_stored(nurse, front_desk):
    assert no_store(signed_in(nurse).get(reverse("patients:chart", args=[999_999])))
    assert no_store(signed_in(front_desk).get(reverse("alerts:list")))


def test_the_back_office_sign_in_and_screening_pages_are_never_stored(clinic_admin, client):
    assert no_store(signed_in(clinic_admin).get(reverse("admin:index")))
    assert no_store(client.get(reverse("accounts:login")))
    assert no_store(client.get(reverse("screening:start")))


def test_public_information_pages_may_be_cached(client, boston):
    assert not no_store(client.get(reverse("website:home")))


def test_every_url_that_shows_patient_data_is_under_a_private_prefix():
    """New apps' screens (infusions, the ketamine log) live under /staff/, so they are
    never cached and robots keep out."""
    from django.urls import reverse

    from dendrite.middleware import PRIVATE_PREFIXES

    for name, args in (
        ("infusions:chairside", [1]),
        ("controlled:index", []),
        ("alerts:rota", []),
        ("alerts:detail", [1]),
    ):
        assert reverse(name, args=args).startswith(PRIVATE_PREFIXES), name
