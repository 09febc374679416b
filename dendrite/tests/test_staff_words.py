"""What staff read is written for staff: a sweep over every staff page, for every role.

The demo clinic is loaded, a few people come in through the public doors (a screening with
a moderately severe PHQ-9, one that raises a safety alert, an inquiry), and then each demo
user follows every link under /staff/ from every staff URL that needs no argument (the
URL resolver gives them, so a new app's pages are swept without touching this file). On
each page the visible text must hold no source reference ("CLINICAL.md", "[R12]"), no
audit action code ("scheduling.appointment.status"), no snake_case or slug code of a
choice ("moderately-severe", "first_visit") and no username (STYLE.md, "Words on screens").
"""

import datetime as dt
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from dendrite.accounts.models import Role, User
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location
from dendrite.conftest import signed_in
from dendrite.instruments import labels
from dendrite.instruments.loader import instrument_codes
from dendrite.leads.actions import convert_lead
from dendrite.leads.models import HeardAbout, Lead, Reason, Source
from dendrite.patients.models import Patient
from dendrite.portal.actions import assign_conversation, send_patient_message, staff_reply
from dendrite.portal.models import Conversation
from dendrite.screening.tests.helpers import scores, walk, yes_no
from dendrite.website.actions import receive_inquiry

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SOURCE_REFERENCE = re.compile(r"CLINICAL\.md|\[R\d+\]")
SNAKE_CASE = re.compile(r"(?<![\w@.-])[a-z0-9]+(?:_[a-z0-9]+)+(?![\w@-])")
PER_ROUTE = 4  # pages of one URL pattern a role visits (other days, other patients…)
# Pages that are about sign-in names: the staff accounts list and forms show the
# username a person signs in with, which is what they are for.
USERNAME_PAGES = ("accounts:user_",)
# Pages with arguments the sweep must reach (it finds them by following links).
SWEPT = (
    "patients:access_history",
    "patients:chart",
    "leads:detail",
    "scheduling:appointment",
    "alerts:detail",
    "portal:staff_thread",
)


class Text(HTMLParser):
    """The words a person sees, and the links they can follow."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.words.append(data.strip())

    @property
    def text(self) -> str:
        return " ".join(self.words)


def staff_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every URL under /staff/ that takes no argument, from the URL map itself."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += staff_routes(entry, route)
        elif (
            isinstance(entry, URLPattern)
            and route.startswith("staff/")
            and not any(mark in route for mark in ("<", "(?P", "$"))
        ):
            found.append("/" + route)
    return found


def codes_of_instruments() -> set[str]:
    """Instrument codes, score bands and flags as stored ("phq-9", "moderately-severe")."""
    stored = set(instrument_codes()) | set(labels.BAND_LABELS) | set(labels.FLAG_LABELS)
    return {code for code in stored if re.search(r"[-_]", code)}  # "severe" is a word


def codes_in_choices() -> set[str]:
    """Every stored choice value that is a code, not a word ("first_visit", "moderately-severe")."""
    from django.apps import apps

    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)+", value):
                    found.add(value)
    return found


def problems_on(text: str, *, codes: set[str], usernames: set[str]) -> list[str]:
    found = [f"source reference {m!r}" for m in SOURCE_REFERENCE.findall(text)]
    found += [f"code {m!r}" for m in SNAKE_CASE.findall(text)]
    words = set(re.findall(r"(?<![\w@])[\w.-]+(?![\w@])", text))
    words |= {w.rstrip(".") for w in words}
    found += [f"code {code!r}" for code in sorted(codes & words)]
    found += [f"username {name!r}" for name in sorted(usernames & words)]
    return found


def sweep(client: Client, start: list[str]) -> dict[str, str]:
    """GET every staff page reachable by link from `start`; {url: visible text}."""
    seen: dict[str, str] = {}
    per_route: Counter[str] = Counter()
    queue = list(start)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        if per_route[match.view_name] >= PER_ROUTE:
            continue
        per_route[match.view_name] += 1
        response = client.get(url)
        seen[url] = ""
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = Text()
        page.feed(response.content.decode())
        seen[url] = f"{match.view_name}\n{page.text}"
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/staff/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def people_come_in(location: Location) -> None:
    """Leads through the public doors: screenings (one raising a safety alert, one becoming
    a patient with its questionnaires), and an inquiry with every choice filled in."""
    walk(Client(), location, mood=scores(9, 2))  # PHQ-9 18: moderately severe
    walk(Client(), location, safety=yes_no("1", "2", yes=("1", "2")))
    receive_inquiry(
        token=f"sweep-{location.pk}",
        location=location,
        name="Robin Inquirer",
        email="robin@example.test",
        phone="+16175550188",
        reasons=list(Reason.values),
        heard_about=HeardAbout.CLINICIAN,
        consent_to_contact=True,
    )
    screened = Lead.objects.filter(location=location, source=Source.SCREENING).first()
    nurse = User.objects.filter(role=Role.NURSE, locations=location).first()
    assert screened is not None and nurse is not None
    patient = convert_lead(screened, by=nurse, first_name="Dana", last_name="Example",
                           date_of_birth=dt.date(1990, 4, 2), sex="female")  # fmt: skip
    # A message thread, answered and assigned, for the staff inbox.
    send_patient_message(patient, "A question before my visit")
    conversation = Conversation.objects.get(patient=patient)
    staff_reply(conversation, by=nurse, body="Happy to help")
    assign_conversation(conversation, by=nurse, assignee=nurse)
    send_patient_message(patient, "Thank you")


@pytest.fixture
def clinic(settings) -> dict[str, Model]:
    settings.SCREENING_MIN_FILL_SECONDS = 0
    call_command("load_demo", "--quiet")
    for location in Location.objects.all():
        people_come_in(location)
    return {}


def test_no_staff_page_shows_a_source_reference_a_code_or_a_username(clinic):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    codes = codes_of_instruments() | codes_in_choices() | actions
    usernames = set(User.objects.values_list("username", flat=True))
    start = staff_routes()
    assert "/staff/" in start
    # Reached by a POST (the MRN never goes into an address), so not by a link.
    boston_patient = Patient.objects.filter(location__slug="boston").first()
    assert boston_patient is not None
    start += [reverse("patients:access_history", args=[boston_patient.pk])]
    problems, visited = [], Counter()
    for user in User.objects.filter(username__endswith=".boston"):
        pages = sweep(signed_in(user), start)
        visited.update({text.partition("\n")[0] for text in pages.values() if text})
        for url, text in pages.items():
            view, _, words = text.partition("\n")
            names = set() if view.startswith(USERNAME_PAGES) else usernames
            for problem in problems_on(words, codes=codes, usernames=names):
                problems.append(f"{user.get_role_display()} {url} ({view}): {problem}")
    assert sorted(set(problems)) == [], "\n".join(sorted(set(problems)))
    # The sweep reached the pages with arguments, not only the lists.
    for view in SWEPT:
        assert visited[view], f"no {view} page was swept"


def test_the_sweep_finds_a_code_a_reference_and_a_username():
    codes = {"moderately-severe", "scheduling.appointment.status"}
    text = "PHQ-9 moderately-severe (CLINICAL.md §1.1 [R88]) first_visit by nurse.boston"
    found = problems_on(text, codes=codes, usernames={"nurse.boston"})
    assert found == [
        "source reference 'CLINICAL.md'",
        "source reference '[R88]'",
        "code 'first_visit'",
        "code 'moderately-severe'",
        "username 'nurse.boston'",
    ]
    assert problems_on("Fran Desmond (Front desk), e-mail a_b@example.test", codes=codes,
                       usernames=set()) == []  # fmt: skip
