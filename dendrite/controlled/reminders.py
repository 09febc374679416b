"""The daily count's reminder, and what the log page says is due (the daily count,
the biennial inventory). The sweep (`manage.py remind_daily_counts`, every few minutes
from cron) is the worker's side: nobody acts there, so there is no `by=`.

A location with ketamine in stock, open today, and no count signed by its
`daily_count_due_by` time: its nurses get one e-mail that day (a DailyCountReminder row
per location and day makes a second sweep a no-op), and the log page shows a banner
until a count is signed.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dendrite.accounts.models import Role, User
from dendrite.clinics.hours import Closure, Interval
from dendrite.clinics.models import Location
from dendrite.mail import send_later

from . import due
from .models import Count, DailyCountReminder, Vial

INVENTORIES = [Count.Kind.INITIAL, Count.Kind.BIENNIAL]


def _hours(location: Location) -> tuple[list[Interval], list[Closure]]:
    """The location's hours and closures (prefetched by Location.objects.with_hours())."""
    hours = [(h.weekday, h.opens, h.closes) for h in location.opening_hours.all()]
    closures = [(c.start_date, c.end_date) for c in location.closures.all()]
    return hours, closures


def daily_count_overdue(location: Location, now: dt.datetime | None = None) -> bool:
    """True while today's count is late (see due.daily_count_overdue)."""
    local = (now or timezone.now()).astimezone(location.tz)
    start = dt.datetime.combine(local.date(), dt.time(), tzinfo=location.tz)
    hours, closures = _hours(location)
    if local.time() < location.daily_count_due_by or not due.is_open_on(
        local.date(), hours, closures
    ):
        return False  # no need to ask the database
    counted = Count.objects.filter(
        location=location, taken_at__gte=start, taken_at__lt=start + dt.timedelta(days=1)
    ).exists()
    in_stock = Vial.objects.in_stock().filter(location=location).exists()
    return due.daily_count_overdue(
        local, location.daily_count_due_by, hours, closures, in_stock, counted
    )


def inventory_status(location: Location, today: dt.date) -> due.Inventory:
    last = (
        Count.objects.filter(location=location, kind__in=INVENTORIES)
        .order_by("-taken_at")
        .values_list("taken_at", flat=True)
        .first()
    )
    return due.inventory(last.astimezone(location.tz).date() if last else None, today)


def _remind(location: Location, day: dt.date, now: dt.datetime) -> bool:
    """Store the day's reminder and queue its e-mails; False if it was already sent."""
    try:
        with transaction.atomic():
            DailyCountReminder.objects.create(location=location, day=day, sent_at=now)
            nurses = User.objects.filter(
                locations=location, role=Role.NURSE, is_active=True
            ).exclude(email="")
            body = render_to_string(
                "controlled/email/daily_count_reminder.txt",
                {
                    "location": location,
                    "due_by": location.daily_count_due_by,
                    "url": settings.SITE_URL + reverse("controlled:log", args=[location.pk]),
                },
            )
            send_later(
                f"Daily ketamine count not yet signed at {location.name}",
                body,
                [nurse.email for nurse in nurses.order_by("pk")],
            )
    except IntegrityError:
        return False  # another sweep got there first
    return True


def sweep(now: dt.datetime | None = None) -> int:
    """Remind every location whose count is late today, once; the number reminded."""
    now = now or timezone.now()
    reminded = 0
    for location in Location.objects.active().with_hours():
        day = now.astimezone(location.tz).date()
        if DailyCountReminder.objects.filter(location=location, day=day).exists():
            continue
        if daily_count_overdue(location, now) and _remind(location, day, now):
            reminded += 1
    return reminded
