"""The synthetic network's organisation, locations, chairs, opening hours, appointment
types and staff: a few hundred rows, written through the ORM. Every name says it is
synthetic: the organisation is "Synthetic Network" (slug `synthetic-network`, MRN prefix
"SYN-"), each location's name ends in "(synthetic)", every address is @example.invalid
and every phone number is a fictional 555-01xx one."""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db import models

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Chair, Location, OpeningHours, Organization
from dendrite.scheduling.models import (
    DEFAULT_SERIES,
    DEFAULT_TYPES,
    AppointmentType,
    Kind,
    SeriesProtocol,
)

from .writer import max_id

SLUG = "synthetic-network"
MRN_PREFIX = "SYN-"
OPEN_WEEKDAYS = range(0, 5)  # Monday to Friday
OPENS, CLOSES = dt.time(7), dt.time(19)
# (city, state, time zone, ZIP code): real places, made-up clinics and addresses.
CITIES = [
    ("Boston", "MA", "America/New_York", "02116"),
    ("Providence", "RI", "America/New_York", "02903"),
    ("Hartford", "CT", "America/New_York", "06103"),
    ("Albany", "NY", "America/New_York", "12207"),
    ("Philadelphia", "PA", "America/New_York", "19103"),
    ("Baltimore", "MD", "America/New_York", "21201"),
    ("Richmond", "VA", "America/New_York", "23219"),
    ("Raleigh", "NC", "America/New_York", "27601"),
    ("Atlanta", "GA", "America/New_York", "30303"),
    ("Columbus", "OH", "America/New_York", "43215"),
    ("Chicago", "IL", "America/Chicago", "60601"),
    ("Minneapolis", "MN", "America/Chicago", "55401"),
    ("Austin", "TX", "America/Chicago", "78701"),
    ("Denver", "CO", "America/Denver", "80202"),
    ("Phoenix", "AZ", "America/Phoenix", "85004"),
    ("Salt Lake City", "UT", "America/Denver", "84101"),
    ("Seattle", "WA", "America/Los_Angeles", "98101"),
    ("Portland", "OR", "America/Los_Angeles", "97204"),
    ("Sacramento", "CA", "America/Los_Angeles", "95814"),
    ("San Diego", "CA", "America/Los_Angeles", "92101"),
]
INFUSION_SLOTS_A_CHAIR = 5.5  # chairs alternate 6 and 5 two-hour slots a day (slots.py)
CONSULT_SLOTS_A_PRESCRIBER = 12


@dataclass
class Site:
    location: Location
    chairs: list[int]
    nurses: list[int]  # one nurse for each pair of chairs
    prescribers: list[int]
    desk: int
    types: dict[str, int] = field(default_factory=dict)
    protocol: int = 0


def sizes(patients: int, locations: int, open_days: int) -> tuple[int, int]:
    """Chairs and prescribers a location needs for its share of the visits, with room:
    about eight infusions and two prescriber visits a patient."""
    per_day = patients / max(1, locations) / max(1, open_days)
    chairs = max(2, math.ceil(per_day * 8 * 1.6 / INFUSION_SLOTS_A_CHAIR))
    prescribers = max(1, math.ceil(per_day * 2 * 1.6 / CONSULT_SLOTS_A_PRESCRIBER))
    return chairs + chairs % 2, prescribers


class Ids:
    """Primary keys counted on from each table's largest, never from its sequence, so two
    runs on fresh databases give the same rows (the sequences are set after: MODELS)."""

    def __init__(self) -> None:
        self.last: dict[type[models.Model], int] = {}

    def __call__(self, model: type[models.Model]) -> int:
        if model not in self.last:
            self.last[model] = max_id(model)
        self.last[model] += 1
        return self.last[model]


MODELS: list[type[models.Model]] = [
    Organization, Location, OpeningHours, Chair, User, User.locations.through,
    AppointmentType, SeriesProtocol,
]  # fmt: skip
# Unusable (it starts with "!"): nobody signs in as synthetic staff.
PASSWORD = "!synthetic-staff-cannot-sign-in"


def build(locations: int, chairs: int, prescribers: int, when: dt.datetime) -> list[Site]:
    ids = Ids()
    organization = Organization.objects.create(
        pk=ids(Organization), name="Synthetic Network", slug=SLUG, mrn_prefix=MRN_PREFIX
    )
    password = PASSWORD
    sites = []
    for number in range(locations):
        city, state, tz, zip_code = CITIES[number % len(CITIES)]
        suffix = "" if number < len(CITIES) else f" {number // len(CITIES) + 1}"
        slug = f"synthetic-{city.lower().replace(' ', '-')}{suffix.replace(' ', '-')}"
        location = Location.objects.create(
            pk=ids(Location),
            organization=organization,
            name=f"{city}{suffix} (synthetic)",
            slug=slug,
            street=f"{100 + number} Example Street",
            city=city,
            state=state,
            postal_code=zip_code,
            phone=f"(555) 555-01{number % 100:02d}",
            email=f"{slug}@example.invalid",
            time_zone=tz,
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(
                pk=ids(OpeningHours), location=location, weekday=day, opens=OPENS, closes=CLOSES
            )
            for day in OPEN_WEEKDAYS
        )
        made = Chair.objects.bulk_create(
            Chair(pk=ids(Chair), location=location, name=f"Chair {n}") for n in range(1, chairs + 1)
        )
        staff = _staff(ids, location, slug, chairs // 2, prescribers, password, when)
        types = {
            kind: AppointmentType.objects.create(
                pk=ids(AppointmentType), location=location, kind=kind, **values
            ).pk
            for kind, values in DEFAULT_TYPES.items()
        }
        protocol = SeriesProtocol.objects.create(
            pk=ids(SeriesProtocol), location=location,
            appointment_type_id=types[Kind.INFUSION], **DEFAULT_SERIES,
        )  # fmt: skip
        sites.append(
            Site(
                location=location,
                chairs=[c.pk for c in made],
                nurses=staff[Role.NURSE],
                prescribers=staff[Role.PRESCRIBER],
                desk=staff[Role.FRONT_DESK][0],
                types=types,
                protocol=protocol.pk,
            )
        )
    return sites


def _staff(
    ids: Ids,
    location: Location,
    slug: str,
    nurses: int,
    prescribers: int,
    password: str,
    when: dt.datetime,
) -> dict[str, list[int]]:
    wanted = [
        (Role.NURSE, nurses),
        (Role.PRESCRIBER, prescribers),
        (Role.FRONT_DESK, 1),
        (Role.CLINIC_ADMIN, 1),
    ]
    users = [
        User(
            pk=ids(User),
            username=f"{slug}-{role}-{n}",
            role=role,
            password=password,
            first_name=f"{role.label} {n}",
            last_name="Synthetic",
            email=f"{slug}-{role}-{n}@example.invalid",
            date_joined=when,
        )
        for role, count in wanted
        for n in range(1, count + 1)
    ]
    made = User.objects.bulk_create(users)
    User.locations.through.objects.bulk_create(
        User.locations.through(
            pk=ids(User.locations.through), user_id=u.pk, location_id=location.pk
        )
        for u in made
    )
    return {role: [u.pk for u in made if u.role == role] for role, _ in wanted}
