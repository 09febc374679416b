"""The shared cast, built once per test (STYLE.md, "Tests").

Who may see what:
- front_desk (Boston): Boston's schedule and contact details; no clinical data.
- nurse (Boston) and prescriber (Boston): clinical data at Boston only.
- prescriber_hartford (West Hartford): clinical data at West Hartford only.
- clinic_admin (Boston): manages Boston's staff and settings; no clinical data.
Patients (Alice and Bob at Boston, Charlie at West Hartford) join the cast with
the patients app.
"""

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Chair, Location, OpeningHours, Organization
from dendrite.scheduling.models import AppointmentType

# Property tests check behaviour, not speed: no per-example deadline (a busy CI machine
# would fail a correct test). Speed is measured in bench/.
hypothesis.settings.register_profile("dendrite", deadline=None)
hypothesis.settings.load_profile("dendrite")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-test-password-42"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware does
    not put the language back); the next test starts in English again."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.

    test_settings.py checks that production hashes with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def audit_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep the append-only triggers (audit trail, controlled-substance log) in place for
    every database test.

    Live-server (transactional) tests end by emptying every table, which the
    triggers rightly refuse; for those, the guard is lifted after the test and the
    trail emptied, and the next test puts the guard back.
    """
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )
    if not (transactional or "db" in names or marker):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.core.cache import cache
    from django.db import connection

    from dendrite.audit import triggers
    from dendrite.controlled import triggers as controlled_triggers

    with connection.cursor() as cursor:
        triggers.install(cursor, connection.vendor)
        controlled_triggers.install(cursor, connection.vendor)
    yield
    if transactional:
        with connection.cursor() as cursor:
            triggers.remove(cursor, connection.vendor)
            controlled_triggers.remove(cursor, connection.vendor)  # the flush empties it
            cursor.execute(f"DELETE FROM {triggers.TABLE}")  # noqa: S608 (a constant)
        # The rate limits live in a cache table that emptying the models' tables misses:
        # without this, one live-server test's screenings would count against the next.
        cache.clear()


def make_location(slug: str, name: str, city: str, state: str, **extra: object) -> Location:
    organization, _ = Organization.objects.get_or_create(
        slug="test-org", defaults={"name": "Test Clinic", "mrn_prefix": "TC"}
    )
    location = Location.objects.create(
        organization=organization,
        slug=slug,
        name=name,
        street="1 Test Street",
        city=city,
        state=state,
        postal_code="02116",
        phone="(617) 555-0100",
        **extra,
    )
    for weekday in range(5):
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(18)
        )
    Chair.objects.create(location=location, name="Chair 1")
    AppointmentType.create_defaults(location)
    return location


def make_user(username: str, role: str, *locations: Location, totp_key: str | None = None) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.test",
        first_name=username.split("_")[0].title(),
        last_name="Tester",
        role=role,
    )
    user.locations.set(locations)
    TOTPDevice.objects.create(
        user=user, name="test", confirmed=True, key=totp_key or os.urandom(20).hex()
    )
    return user


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def signed_in(user: User) -> Client:
    """A test client signed in with password and second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.fixture
def boston(db: None) -> Location:
    return make_location("boston", "Boston", "Boston", "MA")


@pytest.fixture
def hartford(db: None) -> Location:
    return make_location(
        "west-hartford", "West Hartford", "West Hartford", "CT", time_zone="America/New_York"
    )


@pytest.fixture
def front_desk(boston: Location) -> User:
    return make_user("fran_frontdesk", Role.FRONT_DESK, boston)


@pytest.fixture
def nurse(boston: Location) -> User:
    return make_user("nora_nurse", Role.NURSE, boston)


@pytest.fixture
def prescriber(boston: Location) -> User:
    return make_user("priya_prescriber", Role.PRESCRIBER, boston)


@pytest.fixture
def prescriber_hartford(hartford: Location) -> User:
    return make_user("paul_prescriber", Role.PRESCRIBER, hartford)


@pytest.fixture
def clinic_admin(boston: Location) -> User:
    return make_user("adam_admin", Role.CLINIC_ADMIN, boston)


@pytest.fixture
def cast(
    front_desk: User, nurse: User, prescriber: User, prescriber_hartford: User, clinic_admin: User
) -> dict[str, User]:
    return {
        "front_desk": front_desk,
        "nurse": nurse,
        "prescriber": prescriber,
        "prescriber_hartford": prescriber_hartford,
        "clinic_admin": clinic_admin,
    }


def query_count(fetch: Callable[[], object]) -> int:
    """How many queries `fetch()` makes. Compare a page with few rows and with many:
    the count must not grow with the data, on any database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fetch()
    return len(queries)


@pytest.fixture(autouse=True)
def browsers_may_start_a_screening_at_robot_speed(request: pytest.FixtureRequest) -> None:
    """Playwright fills the screening's first page faster than a person can read it, which
    the flood defence (screening/defences.py) refuses; browser tests lift that one limit."""
    if request.node.get_closest_marker("browser"):
        request.getfixturevalue("settings").SCREENING_MIN_FILL_SECONDS = 0


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch):
    """Run the real django-tasks-db worker until no task is due, then return.

    The worker normally closes stale database connections between tasks; in a
    test that would close the test's own transaction, so that one call is skipped.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        db_worker.Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
        ).run()

    return run


def sign_in(page: Any, live_server: Any, user: User, *, by_form: bool = False) -> None:
    """Sign `user` in to the browser `page` (Playwright) on the live server.

    By default the page gets a session that already passed both steps (quick, for tests
    of other pages). `by_form=True` goes through the real form, password then the
    current app code, and waits for the staff home: the sign-in itself, or a whole path.
    """
    if not by_form:
        from django.conf import settings

        session = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        return
    from playwright.sync_api import expect

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Six-digit code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you")


# Browser tests: Debian's Chromium when present (Playwright's own otherwise).
CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if CHROMIUM:
        args["executable_path"] = CHROMIUM
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # axe-core is injected into pages whose CSP (rightly) forbids foreign scripts.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="session")
def axe_source() -> str:
    return (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()


@pytest.fixture
def check_axe(axe_source: str):
    """Run axe-core (WCAG 2.1 AA) on the page; return the violations."""

    def check(page) -> list[dict]:
        page.evaluate(axe_source)
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
            })"""
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]

    return check


# Patients
#
# Alice and Bob are patients at Boston: front_desk, nurse and prescriber see their
# charts (front desk without the clinical sections). Charlie is at West Hartford: only
# prescriber_hartford sees his. clinic_admin sees no chart, only Alice's and Bob's
# access history.


def make_patient(location: Location, first_name: str, last_name: str, **extra: object):
    """A registered patient (with the organisation's next MRN), synthetic data only."""
    from dendrite.patients.actions import register_patient
    from dendrite.patients.models import Patient

    fields = {"date_of_birth": dt.date(1984, 3, 27), "sex": "unknown"} | extra
    return register_patient(
        Patient(location=location, first_name=first_name, last_name=last_name, **fields),
        by=None,
    )


@pytest.fixture
def alice(boston: Location):
    return make_patient(
        boston,
        "Alice",
        "Lovelace",
        date_of_birth=dt.date(1985, 12, 10),
        sex="female",
        phone="+16175550142",
        email="alice@example.test",
    )


@pytest.fixture
def bob(boston: Location):
    return make_patient(boston, "Bob", "Hopper", date_of_birth=dt.date(1979, 6, 9), sex="male")


@pytest.fixture
def charlie(hartford: Location):
    return make_patient(hartford, "Charlie", "Babbage", date_of_birth=dt.date(1991, 12, 26))
