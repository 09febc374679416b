"""The one door to leads: role and location checked, every read audited.

Front desk sees contact details and whether a lead is urgent; nurses and
prescribers also see scores and triage. Clinic admins work the inbox as the front
desk does (contact details, the triage outcome, never the answers); converting a lead
opens a chart, so it stays with the roles that read charts.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.lookups import In

from dendrite.accounts.access import fetch_for
from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.audit.log import record

from .models import Lead, LeadQuerySet

CONVERT_ROLES = frozenset({Role.FRONT_DESK, *CLINICAL_ROLES})
LEAD_ROLES = frozenset({*CONVERT_ROLES, Role.CLINIC_ADMIN})


def get_lead_for(user: User, pk: Any, action: str = "read") -> Lead:
    """A lead of the user's locations. A person's leads go together: staff of any location
    the person wrote to (their first lead's, or a linked submission's) open all of them."""
    return fetch_for(
        user,
        Lead.objects.select_related("location", "assignee", "linked_to__location"),
        pk,
        roles=LEAD_ROLES,
        location_of=lambda lead: location_seen_by(user, lead),
        action=action,
    )


def location_seen_by(user: User, lead: Lead) -> int:
    """The location through which `user` may open the lead: its own, else one of the
    person's other leads' that the user works at (else its own, which refuses)."""
    if user.works_at(lead.location_id):
        return lead.location_id
    person = lead.linked_to_id or lead.pk
    places = Lead.objects.filter(Q(pk=person) | Q(linked_to=person)).values_list(
        "location_id", flat=True
    )
    return next((place for place in places if user.works_at(place)), lead.location_id)


def leads_for(user: User) -> QuerySet[Lead]:
    """One row per person — their first lead — for each person who wrote to the user's
    locations, urgent first (the list itself is audited by the view)."""
    return people_at(user.location_ids).select_related("location").inbox_order()


def people_at(locations: Iterable[int] | QuerySet[Any]) -> LeadQuerySet:
    """The first lead of each person who wrote to `locations` (ids, or a subquery): their
    first lead came to one of them, or a later one did."""
    filed_here = Lead.objects.filter(location__in=locations, linked_to__isnull=False).order_by()
    mine = Q(location__in=locations) | Q(AnyOf(F("pk"), filed_here.values("linked_to")))
    return Lead.objects.people().filter(mine)


class AnyOf(In):
    """`pk IN (subquery)` that PostgreSQL can OR with an index: written `= ANY(ARRAY(…))`,
    the subquery runs once and its ids are looked up in the primary key (a BitmapOr with
    the location's index), where `IN (…)` in an OR made it read every lead of the network
    (EXPLAIN at 145 000 leads). Other databases get the plain IN."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def person_leads(lead: Lead) -> QuerySet[Lead]:
    """Every lead of the person (the first and those filed with it), oldest first; the
    caller opened `lead` through get_lead_for, which audited it."""
    person = lead.linked_to_id or lead.pk
    return (
        Lead.objects.filter(Q(pk=person) | Q(linked_to=person))
        .select_related("location")
        .order_by("created_at", "pk")
    )


def possibly_same_person(user: User, lead: Lead, limit: int = 5) -> list[Lead]:
    """Other people's first leads at the user's locations that may be this person too:
    the same name, or an e-mail or phone not linked on arrival (an old closed lead, or
    a link undone). Staff decide, with "link these leads"."""
    mine = list(person_leads(lead))
    names = {item.name.strip() for item in mine if item.name.strip()}
    emails = {item.email for item in mine if item.email}
    phones = {item.phone for item in mine if item.phone}
    match = Q(pk__in=[])
    for name in names:
        match |= Q(name__iexact=name)
    for email in emails:
        match |= Q(email__iexact=email)
    if phones:
        match |= Q(phone__in=phones)
    organisation = lead.location.organization_id
    found = Lead.objects.filter(match, location__organization_id=organisation)
    others = (
        leads_for(user)
        .filter(Q(pk__in=found.people().values("pk")) | Q(pk__in=found.values("linked_to")))
        .exclude(pk__in=[item.pk for item in mine])
        .order_by("-created_at")
    )
    return list(others[:limit])


def audit_list(user: User, ids: list[int]) -> None:
    """Who was shown on the inbox: the ids of the leads listed."""
    record("leads.lead.list", user=user, detail={"ids": ids})


def sees_clinical_data(user: User) -> bool:
    return user.role in CLINICAL_ROLES
