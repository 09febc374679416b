"""Booking a visit in the portal: which visits the signed-in patient may book now, and
the free times offered.

What a patient may book (`decide`, pure): only what their location opened to online
booking (scheduling.OnlineBooking) and offers; a follow-up then, and a booster only
while a prescriber's approval is open (outcomes.BoosterApproval). A visit the booking
gate would refuse (scheduling.actions.check_bookable: consent, signed-off history, no
open safety alert, triage) is shown with "please call the clinic", never the reason.
The times are the slot finder's (scheduling.availability, as staff booking uses),
from the location's least notice to its weeks ahead. The booking itself is
actions.book_visit, through scheduling's own `book`.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.http import Http404
from django.utils import timezone

from dendrite.outcomes.models import BoosterApproval
from dendrite.patients.models import Patient
from dendrite.scheduling import availability
from dendrite.scheduling.actions import Refused, check_bookable
from dendrite.scheduling.models import AppointmentType, Kind, OnlineBooking

# The visit kinds a patient may book, by the word in the address.
SLUGS = {"follow-up": Kind.FOLLOW_UP, "booster": Kind.BOOSTER}


class May(StrEnum):
    BOOK = "book"
    CALL = "call"  # shown, with "please call the clinic to book this visit"


def decide(kind: str, *, allowed: bool, offered: bool, approved: bool, cleared: bool) -> May | None:
    """Whether the patient may book a visit of this kind online now (None: not shown).

    allowed: the location lets patients book this kind online; offered: the location
    has the visit type, active; approved: a prescriber's booster approval is open;
    cleared: the booking gate lets the visit be booked for this patient."""
    if kind not in SLUGS.values() or not (allowed and offered):
        return None
    if kind == Kind.BOOSTER and not approved:
        return None
    return May.BOOK if cleared else May.CALL


@dataclass(frozen=True)
class Choice:
    slug: str
    appointment_type: AppointmentType
    may: May
    approval: BoosterApproval | None
    rules: OnlineBooking


def _cleared(patient: Patient, appointment_type: AppointmentType) -> bool:
    try:
        check_bookable(patient, appointment_type)
    except Refused:
        return False
    return True


def choices(patient: Patient) -> list[Choice]:
    """The visits shown to the patient on "Book a visit", in a fixed number of queries."""
    rules = OnlineBooking.for_location(patient.location_id)
    if not (rules.follow_ups or rules.boosters):
        return []
    types = {
        t.kind: t
        for t in AppointmentType.objects.active()
        .filter(location_id=patient.location_id, kind__in=SLUGS.values())
        .select_related("location")
    }
    approval = None
    if rules.boosters and Kind.BOOSTER in types:
        approval = BoosterApproval.objects.open().filter(patient=patient).first()
    found = []
    for slug, kind in SLUGS.items():
        appointment_type = types.get(kind)
        if appointment_type is None:
            continue
        may = decide(
            kind,
            allowed=rules.allows(kind),
            offered=True,
            approved=approval is not None,
            cleared=(rules.allows(kind) and _cleared(patient, appointment_type)),
        )
        if may is not None:
            found.append(Choice(slug, appointment_type, may, approval, rules))
    return found


def shown(patient: Patient, slug: Any) -> bool:
    """Whether "Book a visit" shows this visit to the patient (to book, or to call)."""
    return any(c.slug == slug for c in choices(patient))


def bookable(patient: Patient, slug: Any) -> Choice:
    """The visit the patient may book now, by its word; otherwise a 404."""
    found = next((c for c in choices(patient) if c.slug == slug and c.may == May.BOOK), None)
    if found is None:
        raise Http404
    return found


def window(choice: Choice) -> tuple[dt.datetime, dt.date, dt.date]:
    """The earliest start offered, and the first and last local day of the offer."""
    tz = choice.appointment_type.location.tz
    earliest = timezone.now() + dt.timedelta(hours=choice.rules.notice_hours)
    first = earliest.astimezone(tz).date()
    last = timezone.now().astimezone(tz).date() + dt.timedelta(weeks=choice.rules.weeks_ahead)
    return earliest, first, last


@dataclass(frozen=True)
class Time:
    start: dt.datetime
    at: str  # as the address carries it (at_text)


@dataclass(frozen=True)
class Day:
    day: dt.date
    times: list[Time]


def week_count(choice: Choice) -> int:
    _earliest, first, last = window(choice)
    return (last - first).days // 7 + 1


def free_times(patient: Patient, choice: Choice, week: int) -> list[Day]:
    """The free start times of one week of the offer (0 the first), day by day."""
    earliest, first, last = window(choice)
    lo = first + dt.timedelta(weeks=week)
    hi = min(last, lo + dt.timedelta(days=6))
    if lo > last:
        return []
    slots = availability.free_slots(
        choice.appointment_type, lo, hi, patient=patient, not_before=earliest
    )
    tz = choice.appointment_type.location.tz
    days: dict[dt.date, list[Time]] = {}
    for slot in slots:
        days.setdefault(slot.start.astimezone(tz).date(), []).append(
            Time(slot.start, at_text(slot.start))
        )
    return [Day(day, found) for day, found in days.items()]


def is_offered(patient: Patient, choice: Choice, starts_at: dt.datetime) -> bool:
    """Whether the slot finder offers this start now (a forged or taken time is not)."""
    earliest, first, last = window(choice)
    tz = choice.appointment_type.location.tz
    day = starts_at.astimezone(tz).date()
    if starts_at < earliest or not first <= day <= last:
        return False
    slots = availability.free_slots(
        choice.appointment_type, day, day, patient=patient, not_before=earliest
    )
    return any(slot.start == starts_at for slot in slots)


# A start in an address: "2026-12-03T14:00Z" (UTC, to the minute).
AT_FORMAT = "%Y-%m-%dT%H:%MZ"


def at_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(AT_FORMAT)


def parse_at(text: Any) -> dt.datetime:
    """The start named in an address, or a 404 for anything else."""
    try:
        return dt.datetime.strptime(str(text), AT_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError as bad:
        raise Http404 from bad
