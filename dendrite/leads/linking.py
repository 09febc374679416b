"""Finding the earlier lead of the same person (the rules are in matching.py).

Reads only; the writes that file a submission with that lead are in actions.py. Nobody
acts here: a new submission arrives from the public site.
"""

from django.db.models import Q
from django.utils import timezone

from . import matching
from .models import Lead


def person_of(lead: Lead) -> Lead:
    """The person's first lead (the lead itself, unless it is linked)."""
    return lead.linked_to if lead.linked_to_id else lead  # type: ignore[return-value]


def earlier_lead(lead: Lead, browser: Lead | None = None) -> tuple[Lead | None, str]:
    """The person's first lead a new (unsaved) lead belongs with, and why; (None, "")."""
    organisation = lead.location.organization_id
    browser_person = person_of(browser) if browser is not None else None
    if browser_person is not None and browser_person.location.organization_id != organisation:
        browser_person = None
    email = matching.same_email_key(lead.email)
    phone = matching.same_phone_key(lead.phone)
    match = Q(pk__in=[]) if browser_person is None else Q(pk=browser_person.pk)
    if email:
        match |= Q(email__iexact=email)
    if phone:
        match |= Q(phone=phone)
    found = list(
        Lead.objects.filter(match, location__organization_id=organisation)
        .exclude(pk=lead.pk or 0)
        .select_related("linked_to")
        .order_by("-updated_at", "-pk")[:20]
    )
    people = {person_of(other).pk: person_of(other) for other in found}
    candidates = [matching.Candidate(p.pk, p.status, p.updated_at) for p in people.values()]
    chosen = matching.choose(
        candidates, timezone.now(), browser_person.pk if browser_person else None
    )
    if chosen is None:
        return None, ""
    return people[chosen], _reason(lead, people[chosen], browser_person, email, phone, found)


def _reason(
    lead: Lead,
    person: Lead,
    browser: Lead | None,
    email: str,
    phone: str,
    found: list[Lead],
) -> str:
    if browser is not None and browser.pk == person.pk:
        return "browser"
    mine = [other for other in found if person_of(other).pk == person.pk]
    if email and any(matching.same_email_key(other.email) == email for other in mine):
        return "email"
    return "phone"
