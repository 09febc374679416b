"""The inquiry form against robots and floods: each refusal is a kind page (400 or 429),
never a blank page or a 500, and nothing is stored; a robot caught by the honeypot
is thanked like a person and stores nothing either. The timer (too fast, too old) never
throws away what a person typed: the form comes back as it was, to be sent again."""

import datetime as dt

import pytest
from django.core import signing
from django_tasks_db.models import DBTaskResult

from dendrite.leads.models import Lead
from dendrite.website import spam
from dendrite.website.models import SentForm

from .helpers import CONTACT, THANKS, Page, inquiry, send, token_in

pytestmark = pytest.mark.django_db


def assert_refused(response, status: int, heading: str) -> None:
    assert response.status_code == status
    page = Page(response.content.decode())
    assert page.h1s == [heading]
    html = response.content.decode()
    assert "nothing" in html.lower() and "tel:" in html  # says so, and how else to reach us


def test_a_robot_that_fills_the_honeypot_is_thanked_and_nothing_is_stored(client, inboxes, frozen):
    response = send(client, frozen, inquiry(inboxes["boston"], website="https://spam.example"))
    assert response.status_code == 302 and response.url == THANKS
    assert not Lead.objects.exists()
    assert not DBTaskResult.objects.exists()


def assert_kept(response, data: dict[str, object]) -> str:
    """The form came back with everything typed, a fresh token and a request to send again."""
    assert response.status_code == 400
    html = response.content.decode()
    assert Page(html).h1s == ["Contact us"]
    assert "Everything you wrote is still here" in html
    assert f'value="{data["name"]}"' in html and f'value="{data["email"]}"' in html
    assert data["message"] in html  # the textarea, as typed
    assert 'value="clinician" selected' in html
    assert not Lead.objects.exists()
    return token_in(html)


def test_a_form_sent_faster_than_a_person_can_type_comes_back_as_typed(client, inboxes, frozen):
    data = inquiry(inboxes["boston"])
    response = send(client, frozen, data, wait=1)
    fresh = assert_kept(response, data)
    # Sending it again (after the short pause the fresh token asks for) is enough.
    frozen.shift(dt.timedelta(seconds=10))
    assert client.post(CONTACT, {"token": fresh, **data}).status_code == 302
    assert Lead.objects.get().name == "Dana Example"


def test_a_robot_resending_at_once_is_still_held_back(client, inboxes, frozen):
    data = inquiry(inboxes["boston"])
    fresh = assert_kept(send(client, frozen, data, wait=1), data)
    assert client.post(CONTACT, {"token": fresh, **data}).status_code == 400
    assert not Lead.objects.exists()


def test_the_minimum_fill_time_is_a_setting(client, inboxes, frozen, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 30
    assert send(client, frozen, inquiry(inboxes["boston"]), wait=20).status_code == 400
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    assert send(client, frozen, inquiry(inboxes["boston"]), wait=0).status_code == 302


def test_the_same_form_sent_twice_makes_one_lead_and_a_kind_answer(client, inboxes, frozen):
    data = {"token": token_in(client.get(CONTACT).content.decode()), **inquiry(inboxes["boston"])}
    frozen.shift(dt.timedelta(seconds=10))
    assert client.post(CONTACT, data).status_code == 302
    again = client.post(CONTACT, data)
    assert_refused(again, 400, "We already have this message")
    assert Lead.objects.count() == 1
    assert DBTaskResult.objects.count() == 2  # the first send's two e-mails, no more


def test_a_form_without_a_token_or_with_a_forged_one_is_refused(client, inboxes, frozen):
    assert_refused(
        client.post(CONTACT, inquiry(inboxes["boston"])), 400, "We could not accept this form"
    )
    forged = signing.dumps({"t": 0, "n": "x"}, salt="some.other.form")
    response = client.post(CONTACT, {"token": forged, **inquiry(inboxes["boston"])})
    assert_refused(response, 400, "We could not accept this form")
    assert not Lead.objects.exists()


def test_a_form_left_open_for_more_than_a_week_comes_back_as_typed(client, inboxes, frozen):
    data = inquiry(inboxes["boston"])
    assert_kept(send(client, frozen, data, wait=8 * 24 * 60 * 60), data)


def test_after_five_inquiries_in_ten_minutes_the_sixth_waits_until_the_burst_is_over(
    client, inboxes, frozen
):
    for number in range(5):
        response = send(client, frozen, inquiry(inboxes["boston"], name=f"Person {number}"))
        assert response.status_code == 302
    response = send(client, frozen, inquiry(inboxes["boston"], location=inboxes["hartford"].pk))
    assert_refused(response, 429, "Too many messages for now")
    assert 0 < int(response["Retry-After"]) <= 600
    assert "try again in 10 minutes" in response.content.decode()
    # The clinic the person chose is named, with its number to call.
    assert 'West Hartford answers on <a href="tel:(617) 555-0100">' in response.content.decode()
    assert Lead.objects.count() == 5

    frozen.shift(dt.timedelta(minutes=10))
    assert send(client, frozen, inquiry(inboxes["boston"])).status_code == 302
    assert Lead.objects.count() == 6


def test_a_hospital_behind_one_address_sends_all_day_until_the_daily_cap(
    client, inboxes, frozen, settings
):
    # The old limit (5 an hour) stopped a whole hospital; now only a burst waits.
    settings.INQUIRY_DAILY_LIMIT = 12
    sent = 0
    for _ in range(6):  # an hour apart, two at a time
        for _ in range(2):
            assert send(client, frozen, inquiry(inboxes["boston"])).status_code == 302
            sent += 1
        frozen.shift(dt.timedelta(hours=1))
    assert sent == Lead.objects.count() == 12
    response = send(client, frozen, inquiry(inboxes["boston"]))
    assert_refused(response, 429, "Too many messages from your connection today")
    assert "Please call us" in response.content.decode()
    frozen.shift(dt.timedelta(seconds=int(response["Retry-After"])))  # local midnight
    assert send(client, frozen, inquiry(inboxes["boston"])).status_code == 302


def test_a_burst_limit_is_not_bypassed_by_a_forged_forwarded_header(client, inboxes, frozen):
    for number in range(5):
        forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{number}"}
        assert send(client, frozen, inquiry(inboxes["boston"]), **forged).status_code == 302
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert send(client, frozen, inquiry(inboxes["boston"]), **forged).status_code == 429


def test_the_rate_limit_counts_per_address_and_is_a_setting(client, inboxes, frozen, settings):
    settings.INQUIRY_BURST_LIMIT = 1
    here, there = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.9"}
    assert send(client, frozen, inquiry(inboxes["boston"]), **here).status_code == 302
    assert send(client, frozen, inquiry(inboxes["boston"]), **here).status_code == 429
    assert send(client, frozen, inquiry(inboxes["boston"]), **there).status_code == 302


def test_honeypot_hits_count_against_the_rate_limit(client, inboxes, frozen, settings):
    settings.INQUIRY_BURST_LIMIT = 2
    for _ in range(2):
        send(client, frozen, inquiry(inboxes["boston"], website="spam"))
    assert send(client, frozen, inquiry(inboxes["boston"])).status_code == 429
    assert not Lead.objects.exists()


def test_mistakes_in_the_form_do_not_count_against_the_rate_limit(
    client, inboxes, frozen, settings
):
    settings.INQUIRY_BURST_LIMIT = 1
    for _ in range(3):
        assert send(client, frozen, inquiry(inboxes["boston"], reasons=None)).status_code == 200
    assert send(client, frozen, inquiry(inboxes["boston"])).status_code == 302


def test_behind_a_proxy_the_address_the_proxy_saw_is_counted_not_what_the_client_claims(
    rf, settings
):
    settings.PROXY_COUNT = 1
    request = rf.post(CONTACT, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert spam.client_address(request) == "203.0.113.7"
    settings.PROXY_COUNT = 0
    assert spam.client_address(request) == "10.0.0.2"


def test_the_rate_limit_keeps_no_address_in_the_cache(rf):
    request = rf.post(CONTACT, REMOTE_ADDR="203.0.113.7")
    spam.count_submission(request)
    assert "203.0.113.7" not in spam.burst().cache_key("203.0.113.7")
    assert spam.burst().count("203.0.113.7") == spam.daily().count("203.0.113.7") == 1


def test_an_oversized_request_is_refused_politely(client, inboxes, frozen):
    response = send(client, frozen, inquiry(inboxes["boston"], message="x" * 25_000))
    assert_refused(response, 400, "Your message was too long to send")
    assert not Lead.objects.exists()


def test_the_body_limit_is_a_setting(client, inboxes, frozen, settings):
    settings.INQUIRY_MAX_BODY_BYTES = 500
    assert send(client, frozen, inquiry(inboxes["boston"])).status_code == 400


def test_the_request_to_send_again_speaks_spanish_too(spanish, inboxes, frozen):
    response = send(spanish, frozen, inquiry(inboxes["boston"]), wait=0)
    assert response.status_code == 400
    assert "Todo lo que escribió sigue aquí" in response.content.decode()


def test_used_tokens_are_forgotten_once_they_could_no_longer_be_replayed(client, inboxes, frozen):
    send(client, frozen, inquiry(inboxes["boston"]))
    assert SentForm.objects.count() == 1
    frozen.shift(dt.timedelta(days=8))
    send(client, frozen, inquiry(inboxes["boston"]))
    assert SentForm.objects.count() == 1


def test_the_burst_refusal_reads_in_spanish_too(spanish, inboxes, frozen, settings):
    settings.INQUIRY_BURST_LIMIT = 1
    assert send(spanish, frozen, inquiry(inboxes["boston"])).status_code == 302
    response = send(spanish, frozen, inquiry(inboxes["boston"]))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Inténtelo de nuevo dentro de 10 minutos" in html
    assert 'Boston atiende en el <a href="tel:(617) 555-0100">' in html
