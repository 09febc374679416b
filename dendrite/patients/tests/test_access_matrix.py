"""Who may open which screen of the chart: every screen × every role × own and other patient.

Read a row of EXPECTED as "this person, opening each screen, gets …". Alice is a patient
at Boston, Charlie at West Hartford; everyone in the cast works at Boston except
prescriber_hartford. "Own" is the patient of the person's location, "other" the other one.
"""

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.patients.actions import add_document
from dendrite.patients.models import Document, Patient

from .conftest import PDF

pytestmark = pytest.mark.django_db

OK = 200
DONE = "back to the chart"  # a POST that did its work (or said why not) and went back
NO = 403  # the role may never open this screen
HIDDEN = 404  # another location's patient: indistinguishable from one that does not exist
LOGIN = "to sign-in"
MFA = "to second factor"


class Chart(NamedTuple):
    patient: Patient
    document: Document


def u(name: str, *args: object) -> str:
    return reverse(f"patients:{name}", args=args)


# Each screen: (method, address for a given chart).
SCREENS: dict[str, tuple[str, Callable[[Chart], str]]] = {
    "list": ("get", lambda c: u("patient_list")),
    "new": ("get", lambda c: u("patient_new")),
    "chart": ("get", lambda c: u("chart", c.patient.pk)),
    "demographics": ("get", lambda c: u("patient_edit", c.patient.pk)),
    "provider": ("get", lambda c: u("provider_edit", c.patient.pk, "referring")),
    "contact": ("get", lambda c: u("contact_add", c.patient.pk)),
    "consent": ("get", lambda c: u("consent_add", c.patient.pk)),
    "diagnosis": ("get", lambda c: u("diagnosis_add", c.patient.pk)),
    "medication": ("get", lambda c: u("medication_add", c.patient.pk)),
    "allergy": ("get", lambda c: u("allergy_add", c.patient.pk)),
    "history": ("get", lambda c: u("history_edit", c.patient.pk)),
    "sign-off": ("post", lambda c: u("history_sign_off", c.patient.pk)),
    "questionnaires": ("get", lambda c: u("questionnaires", c.patient.pk)),
    "upload": ("get", lambda c: u("document_add", c.patient.pk)),
    "download": ("get", lambda c: u("document_download", c.patient.pk, c.document.pk)),
    "access history": ("get", lambda c: u("access_history", c.patient.pk)),
}
PER_PATIENT = [name for name in SCREENS if name not in {"list", "new"}]

# fmt: off
ALL = {"list": OK, "new": OK}
ADMINISTRATIVE = ["chart", "demographics", "provider", "contact", "consent"]
CLINICAL = ["diagnosis", "medication", "allergy", "history", "questionnaires", "upload",
            "download"]


def row(allowed: list[str], everywhere: dict[str, object] = ALL) -> dict[str, object]:
    """Own patient: OK on the allowed screens; other patient: HIDDEN there; NO elsewhere."""
    expected: dict[str, object] = dict(everywhere)
    for screen in PER_PATIENT:
        yes = screen in allowed
        expected[f"{screen}/own"] = (DONE if screen == "sign-off" else OK) if yes else NO
        expected[f"{screen}/other"] = HIDDEN if yes else NO
    return expected


def same(outcome: object) -> dict[str, object]:
    return {screen: outcome for screen in SCREENS if screen in ALL} | {
        f"{screen}/{whose}": outcome for screen in PER_PATIENT for whose in ("own", "other")
    }


EXPECTED = {
    "anonymous":           same(LOGIN),
    "nurse without code":  same(MFA),
    "front_desk":          row(ADMINISTRATIVE),
    "nurse":               row(ADMINISTRATIVE + CLINICAL),
    "prescriber":          row(ADMINISTRATIVE + CLINICAL + ["sign-off"]),
    "prescriber_hartford": row(ADMINISTRATIVE + CLINICAL + ["sign-off"]),
    "clinic_admin":        row(["access history"], everywhere={"list": NO, "new": NO}),
}
# fmt: on

ACTORS = {
    "anonymous": (None, False),
    "nurse without code": ("nurse", False),
    "front_desk": ("front_desk", True),
    "nurse": ("nurse", True),
    "prescriber": ("prescriber", True),
    "prescriber_hartford": ("prescriber_hartford", True),
    "clinic_admin": ("clinic_admin", True),
}

CASES = [
    pytest.param(actor, cell, expected, id=f"{actor}-{cell}")
    for actor, cells in EXPECTED.items()
    for cell, expected in cells.items()
]


def chart_of(patient: Patient, uploader) -> Chart:
    upload = SimpleUploadedFile("letter.pdf", PDF)
    document = Document(patient=patient, kind="referral", title="Letter", file=upload)
    document.content_type, document.size = "application/pdf", len(PDF)
    return Chart(patient, add_document(document, by=uploader))


def client_for(actor: str, request: pytest.FixtureRequest):
    fixture, verified = ACTORS[actor]
    if fixture is None:
        return Client(), None
    user = request.getfixturevalue(fixture)
    if verified:
        return signed_in(user), user
    client = Client()
    client.force_login(user)  # password only: no second factor yet
    return client, user


def outcome(client: Client, method: str, url: str) -> object:
    response = getattr(client, method)(url)
    if response.status_code != 302:
        return response.status_code
    target = response.url
    if target.startswith(reverse("accounts:login")):
        assert parse_qs(urlsplit(target).query)["next"] == [url]
        return LOGIN
    if target.startswith(reverse("accounts:mfa")):
        return MFA
    if "/staff/patients/" in target and "#" in target:
        return DONE
    return target


@pytest.mark.parametrize(("actor", "cell", "expected"), CASES)
def test_each_person_reaches_exactly_the_screens_the_table_allows(
    actor, cell, expected, alice, charlie, hartford, nurse, request
):
    client, user = client_for(actor, request)
    at_hartford = user is not None and user.works_at(hartford.pk)
    own, other = (charlie, alice) if at_hartford else (alice, charlie)
    screen, _, whose = cell.partition("/")
    patient = other if whose == "other" else own
    method, address = SCREENS[screen]
    assert outcome(client, method, address(chart_of(patient, nurse))) == expected
