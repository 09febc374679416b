"""The home page: what we treat, the way to the screening and the contact form, and
every active clinic (replaces the clinics app's first public page)."""

import pytest
from django.urls import reverse

from .helpers import Page

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_every_active_clinic_with_address_and_phone(client, inboxes):
    inboxes["hartford"].is_active = False
    inboxes["hartford"].save()
    html = client.get("/").content.decode()
    assert (3, "Boston") in Page(html).headings
    assert "West Hartford" not in html
    assert "1 Test Street" in html and 'href="tel:+16175550100"' in html
    assert f'href="{reverse("website:locations")}"' in html


def test_the_home_page_leads_to_the_screening_and_the_contact_form(client, inboxes):
    html = client.get("/").content.decode()
    assert '<a class="button" href="/screening/">Am I a candidate?</a>' in html
    assert f'href="{reverse("website:contact")}">Send us a message</a>' in html


def test_in_spanish_the_screening_link_warns_it_leads_to_english(spanish, inboxes):
    html = spanish.get("/").content.decode()
    assert 'href="/screening/" hreflang="en">¿Soy candidato?</a>' in html
    assert "Los cuestionarios de autoevaluación están en inglés" in html


def test_the_home_page_keeps_a_constant_query_count(client, inboxes, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/").status_code == 200
