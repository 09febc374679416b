"""When a new inquiry or screening belongs with an earlier lead of the same person (pure).

The rules (docs/leads.md says the same for staff):

- Only within one organisation: two clinic businesses never share a lead.
- Certain enough to link on its own: the same e-mail address (ignoring case and spaces),
  the same phone number (its digits, as E.164: "(617) 555-0142" is "+16175550142"), or
  a form sent from the browser that did the self-screening (its session says which lead).
- Not enough on its own: the same name. Such leads stay apart and each page offers staff
  "link these leads" (an audited action that can be undone).
- Which earlier lead: one still being worked (new, contacted, consult booked) whatever
  its age; one that became a patient whatever its age (the page then says "already a
  patient"); one closed otherwise (declined, referred, unreachable) only if it changed in
  the last CLOSED_LEAD_DAYS days. An older closed lead is a new episode: a new lead,
  shown as "possibly the same person".
- Of several, the browser's own lead first, then the one most recently changed.
"""

import datetime as dt
from dataclasses import dataclass

from dendrite.clinics.phones import to_e164

CLOSED_LEAD_DAYS = 90
WORKING = frozenset({"new", "contacted", "consult_scheduled"})
PATIENT = "became_patient"


def same_email_key(email: str) -> str:
    return email.strip().lower()


def same_phone_key(phone: str) -> str:
    """The number as stored on leads (E.164), or its bare digits when it is not valid."""
    if not phone.strip():
        return ""
    return to_e164(phone) or "".join(ch for ch in phone if ch.isdigit())


@dataclass(frozen=True)
class Candidate:
    pk: int
    status: str
    updated_at: dt.datetime


def eligible(candidate: Candidate, now: dt.datetime) -> bool:
    """Whether a new submission may be filed with this earlier lead."""
    if candidate.status in WORKING or candidate.status == PATIENT:
        return True
    return now - candidate.updated_at <= dt.timedelta(days=CLOSED_LEAD_DAYS)


def choose(candidates: list[Candidate], now: dt.datetime, browser: int | None) -> int | None:
    """The earlier lead to link to, if any (the browser's own lead first)."""
    usable = [c for c in candidates if eligible(c, now)]
    if not usable:
        return None
    for candidate in usable:
        if candidate.pk == browser:
            return candidate.pk
    return max(usable, key=lambda c: (c.updated_at, c.pk)).pk
