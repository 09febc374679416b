"""Synthetic rows on top of the demo, for the staff page and dashboard benchmarks.

`grow(patients)` adds that many patients to the demo's two locations, each with the
rows the five staff pages and the dashboard read: a lead (linked to the patient, with a
contact attempt for most), a consultation, and for a third of them an induction series
of six infusion appointments (some done), PHQ-9 scores before and after, and for a tenth
a month of drinking diary. Everything is dated in the two years before today, so the
day view of today and the demo's own visits are the ones a person would open. The same
rows every run (a fixed seed). Bulk inserts: no actions, audit or queue work.

Run inside a configured Django (bench/pages/__main__.py calls it through manage.py shell).
"""

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

BATCH = 2_000
FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Christopher",
    "Lisa",
]
SYLLABLES = [
    "al",
    "an",
    "ber",
    "bri",
    "cal",
    "car",
    "dan",
    "del",
    "den",
    "fer",
    "gar",
    "har",
    "hol",
    "kin",
    "lan",
    "ley",
    "lin",
    "mar",
]


def _insert(model: type[models.Model], rows: Iterable[Any]) -> list[Any]:
    made: list[Any] = []
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= BATCH:
            made += model.objects.bulk_create(chunk)  # type: ignore[attr-defined]
            chunk = []
    if chunk:
        made += model.objects.bulk_create(chunk)  # type: ignore[attr-defined]
    return made


def _pick(rng: random.Random, items: Sequence[Any]) -> Any:
    return items[rng.randrange(len(items))]


@transaction.atomic
def grow(patients: int, seed: int = 2026) -> None:
    from dendrite.accounts.models import Role, User
    from dendrite.clinics.models import Chair, Location
    from dendrite.leads.models import Lead, LeadEvent, Outcome, Source
    from dendrite.leads.models import Status as LeadStatus
    from dendrite.patients.models import Patient, QuestionnaireResponse
    from dendrite.patients.search import name_key
    from dendrite.recovery.models import DrinkingDay
    from dendrite.scheduling.models import (
        Appointment,
        AppointmentType,
        Kind,
        Series,
        SeriesProtocol,
        Status,
    )

    rng = random.Random(seed)
    locations = list(Location.objects.order_by("pk"))
    now = timezone.now()
    start = now - dt.timedelta(days=470)
    types = {(t.location_id, t.kind): t for t in AppointmentType.objects.filter(is_active=True)}
    staff = {
        (loc.pk, role): User.objects.filter(role=role, locations=loc).order_by("pk").first()
        for loc in locations
        for role in (Role.NURSE, Role.PRESCRIBER, Role.FRONT_DESK)
    }
    protocol = SeriesProtocol.objects.order_by("pk").first()
    assert protocol is not None, "load_demo first"
    base = Patient.objects.count()

    def patient(number: int) -> Patient:
        loc = locations[number % len(locations)]
        first = _pick(rng, FIRST)
        last = "".join(_pick(rng, SYLLABLES) for _ in range(rng.choice((2, 3)))).title()
        return Patient(
            organization_id=loc.organization_id,
            location=loc,
            mrn=f"SYN{base + number:08d}",
            first_name=first,
            last_name=last,
            first_name_key=name_key(first),
            last_name_key=name_key(last),
            date_of_birth=dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(65 * 365)),
            sex=rng.choice(("female", "male", "unknown")),
            phone=f"+1617{rng.randrange(2_000_000, 9_999_999):07d}",
        )

    made = _insert(Patient, (patient(n) for n in range(patients)))
    inquired = {p.pk: start + dt.timedelta(minutes=rng.randrange(420 * 24 * 60)) for p in made}
    outcomes = [o for o, _ in Outcome.choices]
    triage = {p.pk: rng.choice([*outcomes, "", ""]) for p in made}
    leads = _insert(
        Lead,
        (
            Lead(
                urgent=triage[p.pk] == Outcome.URGENT_SAFETY,
                source=rng.choice((Source.INQUIRY, Source.SCREENING)),
                location_id=p.location_id,
                status=rng.choice(
                    (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.BECAME_PATIENT)
                ),
                name=f"{p.first_name} {p.last_name}",
                phone=p.phone,
                consent_to_contact=True,
                triage_outcome=triage[p.pk],
                patient=p,
                created_at=inquired[p.pk],
            )
            for p in made
        ),
    )
    # created_at has auto_now_add: set the synthetic dates afterwards.
    for lead in leads:
        lead.created_at = inquired[lead.patient_id]
    Lead.objects.bulk_update(leads, ["created_at"], batch_size=BATCH)
    _insert(
        LeadEvent,
        (
            LeadEvent(
                lead=lead,
                at=lead.created_at + dt.timedelta(minutes=rng.randrange(5, 3 * 24 * 60)),
                by=staff[(lead.location_id, Role.FRONT_DESK)],
                kind=LeadEvent.Kind.CONTACT,
                channel="phone",
            )
            for lead in leads
            if rng.random() < 0.7
        ),
    )

    # The database refuses double bookings (scheduling/overlaps.py): each visit of a day
    # at a location takes the next of five two-hour slots of one synthetic staff member
    # (and chair), made as needed and inactive, so no list or rota of the demo shows them.
    taken: dict[tuple[int, dt.date], int] = {}
    pool: dict[tuple[int, str], list[Any]] = {}

    def resource(location_id: int, kind: str, index: int) -> Any:
        made_here = pool.setdefault((location_id, kind), [])
        while len(made_here) <= index:
            name = f"syn-{kind}-{location_id}-{len(made_here)}"
            if kind == "chair":
                made_here.append(Chair.objects.create(location_id=location_id, name=name,
                                                      is_active=False))  # fmt: skip
            else:
                user = User.objects.create(username=name, role=kind, is_active=False)
                user.locations.add(location_id)
                made_here.append(user)
        return made_here[index]

    def visit(p: Patient, kind: str, at: dt.datetime, status: str, **extra: Any) -> Appointment:
        t = types[(p.location_id, kind)]
        role = Role.PRESCRIBER if t.staff_role == Role.PRESCRIBER else Role.NURSE
        slot = taken.get((p.location_id, at.date()), 0)
        taken[(p.location_id, at.date())] = slot + 1
        at = at.replace(hour=12 + 2 * (slot % 5), minute=0, second=0, microsecond=0)
        who = resource(p.location_id, role, slot // 5)
        if "chair" in extra:
            extra["chair"] = resource(p.location_id, "chair", slot // 5)
        return Appointment(
            patient=p, location_id=p.location_id, appointment_type=t, staff=who,
            starts_at=at, staff_ends_at=at + dt.timedelta(minutes=45),
            ends_at=at + dt.timedelta(minutes=100), status=status,
            booked_by=staff[(p.location_id, Role.FRONT_DESK)], **extra,
        )  # fmt: skip

    consulted = [p for p in made if rng.random() < 0.6]
    _insert(
        Appointment,
        (
            visit(p, Kind.CONSULTATION, inquired[p.pk] + dt.timedelta(days=7),
                  rng.choice((Status.DONE, Status.DONE, Status.NO_SHOW)))
            for p in consulted
        ),
    )  # fmt: skip
    treated = [p for p in consulted if rng.random() < 0.5]
    first_day = {p.pk: inquired[p.pk] + dt.timedelta(days=14) for p in treated}
    series = _insert(
        Series,
        (
            Series(
                patient=p, location_id=p.location_id, protocol=protocol,
                name=protocol.name, infusions=6, min_gap_hours=protocol.min_gap_hours,
                span_days=protocol.span_days,
                booked_by=staff[(p.location_id, Role.FRONT_DESK)],
            )
            for p in treated
        ),
    )  # fmt: skip

    def infusions() -> Iterable[Appointment]:
        for s in series:
            p = s.patient
            done = rng.choice((6, 6, 4, 1))
            for number in range(6):
                at = first_day[p.pk] + dt.timedelta(days=3 * number)
                if at > now:
                    break
                status = Status.DONE if number < done else Status.CANCELLED
                yield visit(
                    p, Kind.INFUSION, at, status, series=s, series_number=number + 1,
                    chair=None,
                    late_cancel=status == Status.CANCELLED and rng.random() < 0.3,
                )  # fmt: skip

    _insert(Appointment, infusions())

    def scores() -> Iterable[QuestionnaireResponse]:
        for p in treated:
            baseline = rng.randrange(10, 27)
            for days, total in ((-3, baseline), (20, rng.randrange(0, baseline + 1)),
                                (90, rng.randrange(0, 27))):  # fmt: skip
                at = first_day[p.pk].replace(hour=11) + dt.timedelta(days=days)
                if at < now:
                    yield QuestionnaireResponse(
                        patient=p, instrument="phq-9", version="1", answers={},
                        total=total, authored_at=at, source="clinic",
                    )  # fmt: skip

    _insert(QuestionnaireResponse, scores())

    def diary() -> Iterable[DrinkingDay]:
        for p in treated[: len(treated) // 3]:
            for offset in range(-5, 25):
                day = (first_day[p.pk] + dt.timedelta(days=offset)).date()
                if day < now.date():
                    yield DrinkingDay(patient=p, day=day, drinks=rng.choice((0, 0, 2, 6)),
                                      source="staff")  # fmt: skip

    _insert(DrinkingDay, diary())
