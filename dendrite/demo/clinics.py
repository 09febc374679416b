"""Synthetic demo clinic: two locations with made-up addresses and 555 numbers."""

import datetime as dt

from django.db import transaction

from dendrite.clinics.models import Chair, Closure, Location, OpeningHours, Organization

WEEKDAYS = range(0, 5)

LOCATIONS = [
    {
        "slug": "boston",
        "name": "Boston",
        "street": "100 Example Street, Suite 200",
        "city": "Boston",
        "state": "MA",
        "postal_code": "02116",
        "phone": "(617) 555-0142",
        "email": "boston@dendrite.invalid",
        "hours": [(day, "08:00", "18:00") for day in WEEKDAYS] + [(5, "09:00", "13:00")],
        "chairs": ["Chair 1", "Chair 2", "Chair 3", "Chair 4"],
    },
    {
        "slug": "west-hartford",
        "name": "West Hartford",
        "street": "25 Sample Road",
        "city": "West Hartford",
        "state": "CT",
        "postal_code": "06107",
        "phone": "(860) 555-0178",
        "email": "westhartford@dendrite.invalid",
        "hours": [(day, "08:30", "17:00") for day in range(0, 4)] + [(4, "08:30", "15:00")],
        "chairs": ["Chair A", "Chair B", "Chair C"],
    },
]


def holidays(year: int) -> list[tuple[dt.date, str]]:
    return [
        (dt.date(year, 1, 1), "New Year's Day"),
        (dt.date(year, 7, 4), "Independence Day"),
        (dt.date(year, 12, 25), "Christmas Day"),
    ]


@transaction.atomic
def load_clinics(today: dt.date) -> list[Location]:
    organization, _ = Organization.objects.update_or_create(
        slug="dendrite-demo", defaults={"name": "Dendrite Demo Clinic", "mrn_prefix": "DD"}
    )
    locations = []
    for spec in LOCATIONS:
        fields = {k: v for k, v in spec.items() if k not in {"slug", "hours", "chairs"}}
        location, _ = Location.objects.update_or_create(
            slug=spec["slug"], defaults={**fields, "organization": organization}
        )
        for weekday, opens, closes in spec["hours"]:
            OpeningHours.objects.update_or_create(
                location=location,
                weekday=weekday,
                opens=dt.time.fromisoformat(opens),
                defaults={"closes": dt.time.fromisoformat(closes)},
            )
        for name in spec["chairs"]:
            Chair.objects.get_or_create(location=location, name=name)
        for year in (today.year, today.year + 1):
            for day, reason in holidays(year):
                Closure.objects.get_or_create(
                    location=location, start_date=day, end_date=day, defaults={"reason": reason}
                )
        locations.append(location)
    return locations
