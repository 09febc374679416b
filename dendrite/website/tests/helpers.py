"""Small helpers for the public site's tests: reading pages and sending the inquiry form."""

import datetime as dt
import itertools
import re
from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse

from dendrite.clinics.models import Location

# Every public page, by URL name, with its English and Spanish h1.
PAGES = {
    "website:home": (
        "Ketamine infusion care when other treatments have not helped",
        "Atención con infusiones de ketamina cuando otros tratamientos no han ayudado",
    ),
    "website:depression": (
        "Ketamine infusions for depression and anxiety",
        "Infusiones de ketamina para la depresión y la ansiedad",
    ),
    "website:substance_use": (
        "Ketamine for alcohol and other substance use",
        "Ketamina para el consumo de alcohol y otras sustancias",
    ),
    "website:infusion_day": ("What an infusion day is like", "Cómo es un día de infusión"),
    "website:locations": ("Our clinics", "Nuestras clínicas"),
    "website:faq": ("Questions people often ask", "Preguntas frecuentes"),
    "website:privacy": (
        "Privacy: how we look after your information",
        "Privacidad: cómo cuidamos su información",
    ),
    "website:contact": ("Contact us", "Contáctenos"),
    "website:thanks": ("Thank you: we have your message", "Gracias: hemos recibido su mensaje"),
}
CONTACT = reverse("website:contact")
THANKS = reverse("website:thanks")
PERSONAL = ("Dana", "Example", "dana@example.test", "6175550142", "617")


class Page(HTMLParser):
    """The parts of a page the tests look at: headings, title, meta description, links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.title = ""
        self.description = ""
        self.lang = ""
        self.resources: list[str] = []  # src and <link href> values
        self.scripts = 0
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append((int(tag[1]), ""))
            self._in = "heading"
        elif tag == "title":
            self._in = "title"
        elif tag == "meta" and values.get("name") == "description":
            self.description = values.get("content") or ""
        if tag == "script":
            self.scripts += 1
        if values.get("src"):
            self.resources.append(values["src"] or "")
        if tag == "link" and values.get("href"):
            self.resources.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]|title", tag):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "heading":
            level, text = self.headings[-1]
            self.headings[-1] = (level, " ".join((text + " " + data).split()))
        elif self._in == "title":
            self.title = " ".join((self.title + " " + data).split())

    @property
    def h1s(self) -> list[str]:
        return [text for level, text in self.headings if level == 1]

    def skipped_levels(self) -> list[str]:
        """Headings that jump more than one level down (an h2 followed by an h4)."""
        levels = [level for level, _ in self.headings]
        return [f"h{a} → h{b}" for a, b in itertools.pairwise(levels) if b > a + 1]


def token_in(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "the form carries no token"
    return match.group(1)


def inquiry(clinic: Location, /, **changes: object) -> dict[str, object]:
    """A complete, valid inquiry as a browser would post it (without its token)."""
    data: dict[str, object] = {
        "name": "Dana Example",
        "email": "dana@example.test",
        "phone": "(617) 555-0142",
        "preferred_contact_method": "phone",
        "preferred_contact_time": "morning",
        "location": str(clinic.pk),
        "reasons": ["depression", "alcohol"],
        "consent_to_contact": "on",
        "message": "I have tried three antidepressants and would like to know more.",
        "heard_about": "clinician",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def send(client: Client, clock, data: dict[str, object], wait: float = 10, **extra: str):
    """Open the form, take a while to fill it in (as a person would), and send it."""
    token = token_in(client.get(CONTACT).content.decode())
    clock.shift(dt.timedelta(seconds=wait))
    return client.post(CONTACT, {"token": token, **data}, **extra)
