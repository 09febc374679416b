"""What the leads app adds to every staff page (dendrite/context_processors.py): how
many people who wrote to the user's locations wait past their first-response target
(the menu's badge, and the staff home's reminder)."""

from django.db.models import Subquery

from dendrite.context_processors import Figure, Staff, count

from .access import LEAD_ROLES, people_at


def _overdue(staff: Staff) -> Subquery | None:
    if staff.role not in LEAD_ROLES:
        return None
    return count(people_at(staff.locations).overdue(staff.now))


FIGURES = [Figure("overdue_lead_count", read=_overdue)]
