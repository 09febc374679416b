"""Save and resume: an unguessable link (only its SHA-256 stored) that expires after
SCREENING_RESUME_DAYS; a tampered or expired link gets a kind page, never an error."""

import datetime as dt
import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from dendrite.alerts.models import SafetyAlert
from dendrite.audit.models import AuditEvent
from dendrite.leads.models import Lead
from dendrite.screening.models import ScreeningSession

from .helpers import scores, start, url, walk

pytestmark = pytest.mark.django_db


def save_link(client: Client) -> str:
    response = client.post("/screening/save/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return re.search(
        r'href="(http://testserver/screening/resume/[^"]+)"', response.content.decode()
    )[1]


def test_a_saved_link_opens_the_screening_on_another_device_where_it_stopped(client, boston):
    walk(client, boston, stop_at="alcohol")
    link = save_link(client)
    other_device = Client()
    response = other_device.get(link)
    assert response.url == url("alcohol")
    page = other_device.get(url("anxiety")).content.decode()
    assert 'value="0" id="id_q1_0" required checked' in page  # the answers are all there
    assert other_device.post(url("alcohol"), scores(3)).url == url("drugs")
    assert AuditEvent.objects.filter(action="screening.session.resume").count() == 1


def test_only_the_sha256_of_the_token_is_stored(client, boston):
    start(client, boston)
    token = save_link(client).rstrip("/").rsplit("/", 1)[-1]
    screening = ScreeningSession.objects.get()
    assert screening.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ScreeningSession.objects.values().get())
    assert len(token) >= 43  # 256 random bits


def test_the_link_page_says_when_the_link_stops_working(client, boston, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False)
    start(client, boston)
    page = client.post("/screening/save/").content.decode()
    assert "It works until Mon, Mar 9, 2026." in page


def test_a_new_link_replaces_the_old_one(client, boston):
    start(client, boston)
    old = save_link(client)
    new = save_link(client)
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 302


def test_an_expired_link_gets_a_kind_page_offering_a_new_start(client, boston, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    start(client, boston)
    link = save_link(client)
    time_machine.shift(dt.timedelta(days=7, seconds=1))
    response = Client().get(link)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page and 'href="/screening/"' in page


def test_a_link_still_works_on_its_last_day(client, boston, time_machine, settings):
    settings.SCREENING_RESUME_DAYS = 2
    time_machine.move_to(timezone.now(), tick=False)
    start(client, boston)
    link = save_link(client)
    time_machine.shift(dt.timedelta(days=2, seconds=-1))
    assert Client().get(link).status_code == 302


@pytest.mark.parametrize("token", ["tampered", "a" * 43, "%00%ff", "..", "x" * 500])
def test_a_tampered_link_gets_a_kind_page_never_an_error(client, boston, token):
    start(client, boston)
    response = client.get(f"/screening/resume/{token}/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_this_browser_goes_on_without_the_link(client, boston):
    walk(client, boston, stop_at="drugs")
    page = client.get("/screening/").content.decode()
    assert "Continue your screening" in page and f'href="{url("drugs")}"' in page


def test_an_expired_screening_is_forgotten_by_the_browser_too(client, boston, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    start(client, boston)
    time_machine.shift(dt.timedelta(days=8))
    assert client.get(url("mood")).url == "/screening/"
    assert "Start the screening" in client.get("/screening/").content.decode()


def test_start_again_begins_a_new_screening_and_keeps_the_old_one(client, boston):
    start(client, boston)
    assert client.post("/screening/restart/").url == url("contact")
    assert client.get(url("mood")).url == "/screening/"
    start(client, boston, name="Someone Else")
    assert ScreeningSession.objects.count() == 2


def test_saving_without_a_screening_leads_to_the_start(client, boston):
    assert client.post("/screening/save/").url == "/screening/"


def test_a_finished_screenings_link_opens_its_result(client, boston):
    walk(client, boston, stop_at="treatment")
    link = save_link(client)
    client.post(url("treatment"), {"antidepressants": "2", "therapy": "yes"})
    assert Client().get(link).url == "/screening/result/"


def test_a_safety_answer_from_a_tab_left_open_past_the_time_is_kept(client, boston, time_machine):
    """The rest of a late page is not kept, but its "yes" is: the lead turns urgent with an
    open alert, and the page answers with the crisis lines (CLINICAL.md §6 rule 1)."""
    time_machine.move_to(timezone.now(), tick=False)
    walk(client, boston, stop_at="mood")
    ref = _ref(client)
    time_machine.shift(dt.timedelta(days=8))
    response = client.post(url("mood"), scores(9, q9="2") | {"ref": ref})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="crisis-box" role="alert"' in page and 'href="tel:988"' in page
    assert "had timed out" in page
    lead = Lead.objects.get()
    assert "suicide-risk" in lead.flags and lead.urgent
    assert SafetyAlert.objects.open().filter(lead=lead).exists()
    assert ScreeningSession.objects.get().answers["mood"] == {"9": 2}
    assert client.get(url("mood")).url == "/screening/"  # the browser has forgotten it


def test_a_late_page_without_a_safety_answer_keeps_nothing(client, boston, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    walk(client, boston, stop_at="mood")
    ref = _ref(client)
    time_machine.shift(dt.timedelta(days=8))
    assert client.post(url("mood"), scores(9, q9="0") | {"ref": ref}).url == "/screening/"
    assert ScreeningSession.objects.get().answers.get("mood") is None
    assert not Lead.objects.get().flags


def test_a_safety_answer_sent_after_the_browsers_session_ended_is_kept(client, boston):
    """A tab left open overnight: the session is gone, but the page's signed reference
    still names the screening, so the "yes" reaches the lead (and nothing is shown)."""
    walk(client, boston, stop_at="mood")
    late = Client()  # no session
    response = late.post(url("mood"), scores(9, q9="1") | {"ref": _ref(client)})
    assert response.status_code == 200 and 'href="tel:988"' in response.content.decode()
    assert "suicide-risk" in Lead.objects.get().flags
    assert "Dana Example" not in response.content.decode()


@pytest.mark.parametrize("ref", ["", "tampered", "1", "a:b:c"])
def test_a_late_page_with_a_forged_reference_keeps_nothing(client, boston, ref):
    walk(client, boston, stop_at="mood")
    response = Client().post(url("mood"), scores(9, q9="3") | {"ref": ref})
    assert response.url == "/screening/"
    assert not Lead.objects.get().flags


def _ref(client: Client) -> str:
    found = re.search(r'name="ref" value="([^"]+)"', client.get(url("mood")).content.decode())
    assert found is not None
    return found.group(1)
