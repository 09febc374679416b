"""No English left on the portal in Spanish: every page a patient reaches (from the
URLconf, signed in or not, with data in each state and with form errors) is read in
English and in Spanish; a piece of visible text (or a label for screen readers) that is
the same in both, and is words rather than a name, a number or a date, is a string the
catalogue lacks."""

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dendrite.conftest import signed_in
from dendrite.instruments.loader import get_definition, instrument_codes, languages
from dendrite.outcomes.tests.conftest import open_request
from dendrite.outcomes.tests.outcome_data import add_infusion_visit, add_score
from dendrite.portal import actions
from dendrite.portal.models import Conversation
from dendrite.recovery.actions import issue_diary_link, sign_plan
from dendrite.scheduling.models import PatientMessage

from .conftest import active_account, portal_client, soon, visit
from .test_isolation import WITH_IDS, portal_patterns, without_ids

pytestmark = pytest.mark.django_db

SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
# Words that are the same in both languages, or are not the interface's.
SAME_IN_BOTH = {"PHQ-9", "988", "911", "988lifeline.org", "FHIR JSON", "Dendrite", "English",
                "Español", "PDF", "Email", "Total", "Portal"}  # fmt: skip


class Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.found.append(" ".join(data.split()))


def texts(html: str) -> list[str]:
    parser = Texts()
    parser.feed(html)
    return parser.found


def instrument_words() -> set[str]:
    """The wording of the questionnaires with no validated Spanish version yet (a
    questionnaire translated into Spanish is read like every other page)."""
    words: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "display", "title") and isinstance(value, str):
                    words.add(" ".join(value.split()))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for code in instrument_codes():
        if "es" not in languages(code):
            walk(get_definition(code))
    return words


NOT_WORDS = (
    r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|"
    r"a\.m|p\.m|AM|PM|PHQ|FHIR|JSON|PDF|bytes|KB|MB)\b"
)


def words_only(text: str, known: set[str]) -> bool:
    """Interface words: not in the allowlist, not a person's or a clinic's data, and at
    least one word of 3 letters once names, numbers and dates are taken out."""
    if text in SAME_IN_BOTH or text in known:
        return False
    rest = text
    for value in sorted(known, key=len, reverse=True):
        rest = rest.replace(value, " ")
    rest = re.sub(NOT_WORDS, " ", rest)
    return re.search(r"[^\W\d_]{3,}", rest) is not None


@pytest.fixture
def alice_with_everything(alice_in, bob_in, nurse, front_desk):
    """Alice with something in every state: a trend, a visit booked and one confirmed, a
    due PHQ-9, a plan, a diary, a conversation answered, a passkey, a second session, a
    record opened by staff."""
    start = timezone.now() - dt.timedelta(days=30)
    add_score(alice_in, start, 19)
    add_infusion_visit(alice_in, start + dt.timedelta(days=1), nurse)
    add_score(alice_in, start + dt.timedelta(days=20), 8)
    booked = visit(alice_in, nurse, soon(5))
    actions.confirm(visit(alice_in, nurse, soon(9)))
    questionnaire, _ = open_request(alice_in, ["phq-9"])
    sign_plan(alice_in, kind="safety", content={"warning_signs": "Not sleeping"}, by=nurse)
    issue_diary_link(alice_in, by=nurse)
    message = actions.send_patient_message(
        alice_in, "A question", SimpleUploadedFile("a.pdf", b"%PDF-1.7 a")
    )
    actions.staff_reply(Conversation.objects.get(patient=alice_in), by=front_desk, body="Yes")
    session, _ = actions.start_session(active_account(alice_in), how="code", device="Phone")
    actions.add_passkey(session.account, credential_id="YWxp", public_key=b"k", sign_count=0,
                        name="Phone")  # fmt: skip
    signed_in(nurse).get(f"/staff/patients/{alice_in.pk}/")
    ids = {"appointment": booked.pk, "confirm": booked.pk, "cancel": booked.pk,
           "change": booked.pk, "ics": booked.pk, "questionnaire_start": questionnaire.pk,
           "end_session": session.pk, "passkey_remove": 0, "attachment": message.pk}  # fmt: skip
    # Her data and the clinic's: the appointment type's name is the clinic's own words.
    known = {alice_in.first_name, alice_in.last_name, alice_in.display_name, alice_in.email,
             alice_in.location.name, alice_in.location.city, "Not sleeping", "A question",
             "Yes", "Phone", "test", booked.appointment_type.name, nurse.get_full_name(),
             front_desk.get_full_name()}  # fmt: skip
    known |= {str(v) for v in vars(alice_in.location).values() if isinstance(v, str) and v}
    return ids, known | instrument_words(), alice_in


def pages(client: Client, ids: dict[str, int]) -> list[tuple[str, str, dict | None]]:
    """(name, address, data to post) for every page a signed-in patient reads."""
    found: list[tuple[str, str, dict | None]] = []
    for pattern in portal_patterns():
        name = pattern.name
        # Booking's pages are read in Spanish in test_booking.py, with a clinic that allows it.
        if name in WITH_IDS and name not in ("confirm", "ics", "passkey_remove", "attachment",
                                              "questionnaire_start", "book_times",
                                              "book_confirm"):  # fmt: skip
            kwargs = {"kind": "safety"} if name == "plan" else {"pk": ids[name]}
            found.append((name, reverse(f"portal:{name}", kwargs=kwargs), None))
        elif name in without_ids() and not name.startswith("record_"):
            found.append((name, reverse(f"portal:{name}"), None))
    found += [
        ("details error", reverse("portal:details"), {"phone": "12", "email": "x"}),
        ("message error", reverse("portal:messages"), {"body": ""}),
        ("cancel error", reverse("portal:cancel", kwargs={"pk": ids["cancel"]}), {}),
        ("change error", reverse("portal:change", kwargs={"pk": ids["change"]}), {}),
    ]
    return found


def read(client: Client, language: str, address: str, data: dict | None) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(address) if data is None else client.post(address, data)
    assert response.status_code in (200, 400, 404, 405), (address, response.status_code)
    return response.content.decode()


def _without(text: str, known: set[str]) -> str:
    for value in sorted(known, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def _runs(text: str) -> set[tuple[str, ...]]:
    """Each three words in a row (dates' and numbers' digits left out)."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def untranslated(english: str, spanish: str, known: set[str]) -> list[str]:
    """Spanish text the same as the English (a label), or holding three English words in
    a row that the English page holds too (a sentence with a date or number in it)."""
    if "<html" not in english:
        return []  # a post-only address (405) or a file, not a page
    assert '<html lang="es"' in spanish
    english_texts = texts(english)
    english_runs = set().union(*(_runs(_without(t, known)) for t in english_texts))
    left = set()
    for text in texts(spanish):
        same = text in english_texts and words_only(text, known)
        if same or (_runs(_without(text, known)) & english_runs and text not in known):
            left.add(text)
    return sorted(left)


def test_no_english_is_left_on_the_signed_in_pages(alice_with_everything):
    ids, known, _ = alice_with_everything
    client = portal_client(alice_with_everything[2])
    left: dict[str, list[str]] = {}
    for name, address, data in pages(client, ids):
        english = read(client, "en", address, data)
        spanish = read(client, "es", address, data)
        if found := untranslated(english, spanish, known):
            left[name] = found
    # The questionnaire pages (outcomes'), opened from the portal.
    client.post(reverse("portal:questionnaire_start", kwargs={"pk": ids["questionnaire_start"]}))
    for address in ("/questionnaire/phq-9/",):
        if found := untranslated(
            read(client, "en", address, None), read(client, "es", address, None), known
        ):
            left[address] = found
    assert left == {}, json.dumps(left, indent=1, ensure_ascii=False)


def test_no_english_is_left_on_the_signed_out_pages(alice_in, nurse):
    account = active_account(alice_in)
    invitation, _ = actions.invite(alice_in, by=nurse)
    known = {alice_in.location.name, alice_in.location.city}
    known |= {str(v) for v in vars(alice_in.location).values() if isinstance(v, str) and v}
    left: dict[str, list[str]] = {}
    steps = [
        ("sign_in", "/portal/sign-in/", None),
        ("sign_in error", "/portal/sign-in/", {"address": ""}),
        ("link problem", "/portal/welcome/not-a-token/", None),
    ]
    for name, address, data in steps:
        client = Client()
        if found := untranslated(
            read(client, "en", address, data), read(client, "es", address, data), known
        ):
            left[name] = found
    # The welcome and code pages, held in the session between steps.
    body = PatientMessage.objects.filter(patient=alice_in, channel="email").latest("id").body
    link = re.search(r"/portal/welcome/[^/\s]+/", body)
    assert link is not None
    for language in ("en", "es"):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.get(link.group(0))
        welcome = client.get("/portal/welcome/").content.decode()
        assert 'action="/portal/welcome/"' in welcome or "<form" in welcome, "no welcome page"
        client.post("/portal/welcome/")
        code = client.get("/portal/sign-in/code/").content.decode()
        wrong = client.post("/portal/sign-in/code/", {"code": "000000"}).content.decode()
        if language == "en":
            english = (welcome, code, wrong)
    for name, english_page, spanish_page in zip(
        ("welcome", "code", "code error"), english, (welcome, code, wrong), strict=True
    ):
        if found := untranslated(english_page, spanish_page, known):
            left[name] = found
    assert account.pk and invitation.pk
    assert left == {}, json.dumps(left, indent=1, ensure_ascii=False)
