"""The thank-you page: what happens next and by when, how else to reach us, and the
crisis line — and nothing about the person who wrote."""

import pytest

from .helpers import THANKS, inquiry, send

pytestmark = pytest.mark.django_db


def test_the_thank_you_page_says_what_happens_next_and_by_when(client, inboxes):
    html = client.get(THANKS).content.decode()
    assert "will contact you within 1 business day" in html
    assert 'href="tel:+16175550100"' in html  # the clinics' numbers, if we are slow
    assert "Do not wait for us" in html and 'href="tel:988"' in html


def test_the_thank_you_page_repeats_nothing_the_person_sent(client, inboxes, frozen):
    response = send(client, frozen, inquiry(inboxes["boston"]))
    html = client.get(response.url).content.decode()
    for personal in ("Dana", "dana@example.test", "555-0142", "antidepressants"):
        assert personal not in html


def test_the_thank_you_page_reads_in_spanish(spanish, inboxes):
    html = spanish.get(THANKS).content.decode()
    assert "se comunicará con usted en un plazo de 1 día hábil" in html
