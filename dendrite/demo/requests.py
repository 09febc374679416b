"""Demo consultation requests and day rules, for `load_demo`: at each location, one
invented person whose self-screening came out "likely candidate" and who asked for a
consultation from the result page (the inbox marks it; the lead books it in one click),
and the location's day rules (check-in window, undo time) for clinic admins to see.
Idempotent: a location that already has the demo lead is left alone."""

from django.db import transaction

from dendrite.clinics.models import Location
from dendrite.leads.actions import create_lead, request_consultation
from dendrite.leads.models import ContactBy, Lead, Outcome, Source, TimeOfDay, Weekday
from dendrite.scheduling.models import DayRules

# Invented names (none belongs to a real person known to us).
PEOPLE = {"boston": "Rowan Ellery", "west-hartford": "Sasha Brennagh"}
# Two people, two numbers: a shared one would file the second lead with the first.
PHONES = {"boston": "+16175550177", "west-hartford": "+18605550177"}


@transaction.atomic
def load_requests() -> None:
    for location in Location.objects.filter(slug__in=PEOPLE):
        DayRules.objects.get_or_create(location=location)
        name = PEOPLE[location.slug]
        if Lead.objects.filter(location=location, name=name).exists():
            continue
        slug = name.lower().replace(" ", ".")
        lead = create_lead(
            source=Source.SCREENING, location=location, name=name,
            email=f"{slug}@example.com", phone=PHONES[location.slug], consent_to_contact=True,
            triage_outcome=Outcome.LIKELY_CANDIDATE,
        )  # fmt: skip
        request_consultation(
            lead, location=location, days=[Weekday.TUESDAY, Weekday.THURSDAY],
            times=[TimeOfDay.MORNING], contact_by=ContactBy.PHONE,
        )  # fmt: skip
