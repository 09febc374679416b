"""The after-care page in a browser: axe-core at 320, 768 and 1280 px in English and
Spanish; the print button appears (the page script) and the PDF link downloads the sheet."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_after_care_page_with_its_print_button_and_pdf_link(
    page: Page, live_server, visit, nurse, check_axe
):
    sign_in(page, live_server, nurse)
    found = {}
    for lang in ("en", "es"):
        for width in (320, 768, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            url = reverse("infusions:aftercare", args=[visit.pk]) + f"?lang={lang}"
            page.goto(live_server.url + url)
            if violations := check_axe(page):
                found[(lang, width)] = violations
    assert found == {}
    expect(page.get_by_role("button", name="Imprimir estas instrucciones")).to_be_visible()
    link = page.get_by_role("link", name="Descargar PDF")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
