import functools

from django.http import HttpRequest

from .access import LEAD_ROLES, leads_for


def overdue_leads(request: HttpRequest) -> dict[str, object]:
    """How many leads at the user's locations are past their first-response target."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    if user.role not in LEAD_ROLES:
        return {}
    # A cached callable: only pages that show the count run the query, and only once.
    return {"overdue_lead_count": functools.cache(lambda: leads_for(user).overdue().count())}
