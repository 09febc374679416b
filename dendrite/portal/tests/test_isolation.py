"""Care for who is signed in: a portal session reaches no staff page, a staff session is
not a patient, and every portal address with another patient's ids is a 404 that shows
nothing of theirs (the walk covers every portal address: a new one must join it)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver, reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.outcomes.actions import approve_booster
from dendrite.outcomes.tests.conftest import open_request
from dendrite.portal import actions
from dendrite.portal.models import Passkey, PortalSession
from dendrite.recovery.actions import sign_plan
from dendrite.scheduling.models import Appointment, OnlineBooking, Status
from dendrite.tests.pdf_text import laid_out_text
from dendrite.worklist.models import StaffTask

from .conftest import active_account, last_code, portal_client, soon, visit


def portal_patterns() -> list[URLPattern]:
    resolver = get_resolver()
    portal = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "portal")
    return list(portal.url_patterns)


# Reached signed out (their own tests: test_sign_in.py, test_passkeys.py, test_invitation.py).
SIGNED_OUT = {"welcome_link", "welcome", "sign_in", "code", "sign_out", "passkey_options",
              "passkey_sign_in"}  # fmt: skip
# Addresses with the ids of a patient's own rows: bobs_things gives one of Bob's for each.
WITH_IDS = ("appointment", "confirm", "cancel", "change", "ics", "questionnaire_start", "plan",
            "end_session", "passkey_remove", "attachment", "book_times",
            "book_confirm")  # fmt: skip


def staff_names() -> set[str]:
    """Staff addresses (the inbox's isolation is walked in test_messages.py)."""
    return {p.name for p in portal_patterns() if not str(p.pattern).startswith("portal/")}


def without_ids() -> list[str]:
    """The patient's own pages with nothing but the session to go on."""
    return [
        p.name
        for p in portal_patterns()
        if str(p.pattern).startswith("portal/")
        and "<" not in str(p.pattern)
        and p.name not in SIGNED_OUT
    ]


def staff_paths() -> list[str]:
    """Every staff address, with 1 for each id."""
    paths = []
    for pattern in get_resolver().url_patterns:
        for inner in getattr(pattern, "url_patterns", [pattern]):
            route = str(inner.pattern)
            if not route.startswith("staff/") or "(?P" in route:
                continue
            path = "/" + route
            for converter in ("<int:pk>", "<int:patient_pk>", "<int:patient_id>",
                              "<int:location_id>", "<int:change>"):  # fmt: skip
                path = path.replace(converter, "1")
            if "<" not in path:
                paths.append(path)
    return paths


@pytest.fixture
def bobs_things(bob_in, nurse, prescriber):
    """Bob's appointment, questionnaire, portal session, passkey and safety plan."""
    appointment = visit(bob_in, nurse, soon())
    questionnaire, _ = open_request(bob_in, ["phq-9"])
    session, _ = actions.start_session(active_account(bob_in), how="code", device="Bob's")
    passkey = actions.add_passkey(session.account, credential_id="Ym9i", public_key=b"k",
                                  sign_count=0, name="Bob's phone")  # fmt: skip
    sign_plan(bob_in, kind="safety", content={"warning_signs": "Bob's signs"}, by=nurse)
    message = actions.send_patient_message(
        bob_in, "Bob's message to the clinic", SimpleUploadedFile("bob.pdf", b"%PDF-1.7 Bob")
    )
    # Bob's booster, approved and bookable online: Alice has none to book.
    OnlineBooking.objects.create(location=bob_in.location, follow_ups=True, boosters=True)
    approve_booster(bob_in, by=prescriber)
    return {
        "pk": {
            "appointment": appointment.pk, "confirm": appointment.pk, "cancel": appointment.pk,
            "change": appointment.pk, "ics": appointment.pk,
            "questionnaire_start": questionnaire.pk, "end_session": session.pk,
            "passkey_remove": passkey.pk, "attachment": message.pk,
        },
        "kind": {"plan": "safety", "book_times": "booster", "book_confirm": "booster"},
    }  # fmt: skip


def test_a_portal_session_reaches_no_staff_page(alice_in, cast):
    client = portal_client(alice_in)
    paths = staff_paths()
    assert len(paths) > 40
    for path in paths:
        response = client.get(path)
        assert response.status_code in (302, 403, 404, 405), path
        if response.status_code == 302:
            assert response.url.startswith("/accounts/"), path
    assert client.get("/admin/").status_code == 302


def test_a_staff_session_is_not_a_patient(alice_in, nurse, bobs_things):
    client = signed_in(nurse)
    for pattern in portal_patterns():
        if pattern.name in SIGNED_OUT | staff_names():
            continue
        kwargs = {}
        if "<int:pk>" in str(pattern.pattern):
            kwargs["pk"] = bobs_things["pk"][pattern.name]
        if "<slug:kind>" in str(pattern.pattern):
            kwargs["kind"] = "safety"
        url = reverse(f"portal:{pattern.name}", kwargs=kwargs)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response.url == "/portal/sign-in/", url


def test_every_portal_address_is_walked():
    """Each portal address is in exactly one walk below: a new page must join one."""
    names = {pattern.name for pattern in portal_patterns()}
    walks = [SIGNED_OUT, staff_names(), set(WITH_IDS), set(without_ids())]
    assert set.union(*walks) == names, f"add {names - set.union(*walks)} to a walk"
    assert sum(len(walk) for walk in walks) == len(names)


def test_every_portal_address_with_another_patients_ids_is_a_404(alice_in, bob_in, bobs_things):
    client = portal_client(alice_in)
    walked = 0
    for pattern in portal_patterns():
        route = str(pattern.pattern)
        if pattern.name not in WITH_IDS:
            assert "<" not in route or pattern.name in SIGNED_OUT | staff_names(), route
            continue
        kwargs = {}
        if "<int:pk>" in route:
            kwargs["pk"] = bobs_things["pk"][pattern.name]
        if "<slug:kind>" in route:
            kwargs["kind"] = bobs_things["kind"][pattern.name]
        url = reverse(f"portal:{pattern.name}", kwargs=kwargs)
        for method in (client.get, client.post):
            response = (
                method(url, {"reason": "x", "note": "x"}) if method == client.post else method(url)
            )
            assert response.status_code in (404, 405), (url, response.status_code)
            assert not re.search(rb"\b(Bob|Hopper)\b", response.content)
        walked += 1
    assert walked == len(WITH_IDS)
    # Nothing of Bob's changed.
    appointment = Appointment.objects.get(patient=bob_in)
    assert appointment.status == Status.BOOKED
    assert PortalSession.objects.live().filter(account__patient=bob_in).count() == 1
    assert Passkey.objects.filter(account__patient=bob_in).count() == 1
    assert not StaffTask.objects.exists()
    denied = AuditEvent.objects.filter(action__startswith="portal.", outcome="denied")
    assert denied.exists()
    assert not denied.filter(patient_id=str(bob_in.pk)).exists()


def test_forged_ids_are_404_not_errors(alice_in):
    client = portal_client(alice_in)
    for url in ("/portal/appointments/999999/", "/portal/appointments/0/cancel/",
                "/portal/progress/plans/nonsense/", "/portal/progress/plans/safety/"):  # fmt: skip
        assert client.get(url).status_code == 404


def test_the_pages_without_ids_show_nothing_of_another_patient(
    alice_in, bob_in, bobs_things, nurse
):
    """Every portal address without ids, read (or posted to when it only takes posts) by
    Alice while Bob has one of everything: none of his words, in pages, the PDF or JSON."""
    visit(alice_in, nurse, soon(3))
    client = portal_client(alice_in)
    names = without_ids()
    # Signing out everywhere ends Alice's session: last.
    names.sort(key=lambda name: name == "sign_out_all")
    for name in names:
        url = reverse(f"portal:{name}")
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
            assert response.status_code in (200, 302, 400), name
        else:
            assert response.status_code == 200, name
        content = response.content
        if response.get("Content-Type") == "application/pdf":
            content = laid_out_text(response).encode()
        # Whole words: a random token in the page (CSRF, links) may hold the letters "Bob".
        assert not re.search(rb"\b(Bob|Hopper)\b", content), name
        if name == "record_pdf":
            assert b"Alice" in content  # the PDF's words were really read


def test_no_patient_data_in_titles(alice_in, nurse):
    appointment = visit(alice_in, nurse, soon(3))
    client = portal_client(alice_in)
    for url in ("/portal/", f"/portal/appointments/{appointment.pk}/", "/portal/progress/",
                "/portal/details/"):  # fmt: skip
        title = client.get(url).content.split(b"<title>")[1].split(b"</title>")[0]
        assert b"Alice" not in title and b"Lovelace" not in title


def test_every_portal_read_is_audited(alice_in, nurse):
    appointment = visit(alice_in, nurse, soon(3))
    client = portal_client(alice_in)
    client.get(f"/portal/appointments/{appointment.pk}/")
    event = AuditEvent.objects.filter(action="portal.appointment.read").get()
    assert event.patient_id == str(alice_in.pk)
    assert event.actor_username == "patient-portal"
    assert event.object_id == str(appointment.pk)


def test_a_portal_sign_in_ends_a_staff_session_in_the_same_browser(alice_in, nurse):
    client = signed_in(nurse)
    assert client.get("/staff/").status_code == 200
    active_account(alice_in)
    client.post("/portal/sign-in/", {"address": "alice@example.test"})
    assert client.post("/portal/sign-in/code/", {"code": last_code(alice_in)}).url == "/portal/"
    assert client.get("/staff/").status_code == 302
    assert client.get("/portal/").status_code == 200
