"""What the portal adds to every staff page (dendrite/context_processors.py): how many
message threads at the user's locations wait for an answer (the menu's badge, and the
staff home's reminder)."""

from django.db.models import Subquery

from dendrite.context_processors import Figure, Staff, count

from .access import MESSAGE_ROLES
from .models import Conversation


def _waiting(staff: Staff) -> Subquery | None:
    if staff.role not in MESSAGE_ROLES:
        return None
    waiting = Conversation.objects.filter(awaiting_reply_since__isnull=False)
    return count(waiting.filter(location__in=staff.locations))


FIGURES = [Figure("new_message_count", read=_waiting)]
