"""Small builders for the screening tests: form data per page, and a walk through the flow."""

import time
from typing import Any

from django.test import Client
from django.urls import reverse

from dendrite.clinics.models import Location
from dendrite.screening import defences
from dendrite.screening.questions import HEALTH_QUESTIONS

RESULT = "/screening/result/"


def url(slug: str) -> str:
    return reverse("screening:step", args=[slug])


def contact(location: Location, **extra: Any) -> dict[str, Any]:
    """The first page as a person sends it, with the signed note of when it was shown, a
    minute ago (screening/defences.py)."""
    return {
        "token": defences.new_token(shown_at=time.time() - 60),
        "age_band": "35-44",
        "name": "Dana Example",
        "email": "dana@example.test",
        "phone": "(617) 555-0142",
        "location": str(location.pk),
        "sex": "female",
        "consent": "on",
    } | extra


def scores(count: int, value: int = 0, **given: int) -> dict[str, str]:
    """Questionnaire answers q1..q<count>, each ``value`` unless given as q<n>=..."""
    return {f"q{n}": str(given.get(f"q{n}", value)) for n in range(1, count + 1)}


def yes_no(*link_ids: str, yes: tuple[str, ...] = ()) -> dict[str, str]:
    return {f"q{link_id}": "yes" if link_id in yes else "no" for link_id in link_ids}


def health(**given: str) -> dict[str, str]:
    return {question: given.get(question, "no") for question, _ in HEALTH_QUESTIONS}


def treatment(antidepressants: int = 2, therapy: str = "yes", **extra: Any) -> dict[str, Any]:
    return {"antidepressants": str(antidepressants), "therapy": therapy} | extra


# A calm screening: every questionnaire at its lowest, two antidepressants tried.
CALM = {
    "mood": scores(9),
    "anxiety": scores(7),
    "alcohol": scores(3),
    "alcohol-more": scores(10) | {},
    "drugs": yes_no(*map(str, range(1, 11)), yes=("3",)),  # item 3 "yes" scores 0
    "safety": yes_no("1", "2"),
    "safety-more": yes_no("3", "4", "5", "6"),
    "safety-when": yes_no("6a"),
    "health": health(),
    "treatment": treatment(),
}


def start(client: Client, location: Location, **extra: Any) -> Any:
    return client.post(url("contact"), contact(location, **extra))


def walk(client: Client, location: Location, stop_at: str = "", **pages: dict[str, Any]) -> Any:
    """Answer page after page as the server leads (``pages`` overrides CALM's answers, by slug
    with "_" for "-"), until the result or the page ``stop_at``; return the last response."""
    plan = CALM | {slug.replace("_", "-"): data for slug, data in pages.items()}
    response = start(client, location, **plan.get("contact", {}))
    while response.status_code == 302 and response.url.startswith("/screening/step/"):
        slug = response.url.rstrip("/").rsplit("/", 1)[-1]
        if slug == stop_at:
            return response
        response = client.post(response.url, plan[slug])
    return response
