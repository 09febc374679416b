"""Messages in a browser: the patient writes on a phone, staff answer from the inbox;
axe-core (WCAG 2.1 AA) at 390, 768 and 1280 px on the portal page and the staff inbox."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from dendrite.conftest import sign_in

from .conftest import portal_client
from .test_browser import axe_everywhere

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_message_the_patient_sends_is_answered_by_staff(
    page: Page, live_server, alice_in, front_desk, check_axe
):
    found: dict = {}
    cookie = portal_client(alice_in).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/portal/messages/")
    expect(page.get_by_text("Messages are not for emergencies.")).to_be_visible()
    page.get_by_role("button", name="Send message").click()  # empty: a kind error
    expect(page.get_by_text("Please write your message.").first).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_label("Your message").fill("Is it fine to drive home after?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Is it fine to drive home after?")).to_be_visible()
    axe_everywhere(page, check_axe, found)

    page.context.clear_cookies()
    sign_in(page, live_server, front_desk)
    page.goto(live_server.url + "/staff/")
    page.get_by_role("link", name="1 new patient message waiting for an answer").click()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("link", name="Alice Lovelace").click()
    page.get_by_label("Your reply").fill("No: someone must drive you home.")
    page.get_by_label("A file to send with it (optional)").set_input_files(
        {"name": "aftercare.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("No: someone must drive you home.")).to_be_visible()
    expect(page.get_by_role("link", name="The file sent to the patient")).to_be_visible()
    axe_everywhere(page, check_axe, found)

    # The patient sees the answer with its file, by kind and size.
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(live_server.url + "/portal/messages/")
    expect(page.get_by_role("link", name="A file from your care team")).to_be_visible()
    expect(page.get_by_text("picture, 48")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    assert found == {}
