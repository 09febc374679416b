"""Demo on-call rota: each demo location's prescriber on call day and night for four
weeks, its nurse as backup, with fictional mobile numbers (555-01xx). Idempotent."""

import datetime as dt

from django.db import transaction

from dendrite.accounts.models import Role, User
from dendrite.alerts.models import OnCallShift
from dendrite.clinics.models import Location

DAYS = 28
HANDOVER = dt.time(8, 0)  # shifts run 08:00 to 08:00 the next day, local time


@transaction.atomic
def load_rota(today: dt.date) -> int:
    made = 0
    for number, location in enumerate(Location.objects.order_by("pk")):
        staff = User.objects.filter(locations=location, is_active=True, username__contains=".")
        prescriber = staff.filter(role=Role.PRESCRIBER).order_by("pk").first()
        nurse = staff.filter(role=Role.NURSE).order_by("pk").first()
        if prescriber is None:
            continue
        for offset, person in enumerate((prescriber, nurse)):
            if person is not None and not person.mobile_phone:
                person.mobile_phone = f"+1617555{100 + 10 * number + offset:04d}"
                person.save(update_fields=["mobile_phone"])
        for day in range(-1, DAYS):
            date = today + dt.timedelta(days=day)
            starts = dt.datetime.combine(date, HANDOVER, tzinfo=location.tz).astimezone(dt.UTC)
            ends = dt.datetime.combine(
                date + dt.timedelta(days=1), HANDOVER, tzinfo=location.tz
            ).astimezone(dt.UTC)
            _, created = OnCallShift.objects.get_or_create(
                location=location,
                starts_at=starts,
                defaults={"clinician": prescriber, "backup": nurse, "ends_at": ends},
            )
            made += created
    return made
