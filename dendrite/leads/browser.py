"""The lead a browser's self-screening made, remembered in its session.

The session is kept on the server (the cookie holds only its random key), and it holds
the lead's id, never a name or an address. The contact form uses it to fill in what the
person already gave (prefill) and to file the message with that lead (actions.create_lead).
The screening sets it when it starts or resumes, and forgets it when the browser starts
over or leaves a screening.
"""

from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from dendrite.clinics.phones import for_display

from .models import Lead, Source

SESSION_KEY = "screening_lead"


def remember(session: SessionBase, lead: Lead) -> None:
    session[SESSION_KEY] = lead.pk


def forget(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def screening_lead(session: SessionBase) -> Lead | None:
    """The lead of the self-screening this browser did, if any."""
    pk = session.get(SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return (
        Lead.objects.select_related("location", "linked_to__location")
        .filter(pk=pk, source=Source.SCREENING)
        .first()
    )


def contact_prefill(lead: Lead | None) -> dict[str, Any]:
    """What the contact form may show again: the name, e-mail and phone given."""
    if lead is None:
        return {}
    found = {"name": lead.name, "email": lead.email, "phone": for_display(lead.phone)}
    return {name: value for name, value in found.items() if value}
