"""Every write of the scheduling app, one module per subject. Each action runs in one
transaction, writes its audit entry and queues its messages with the data.

- appointments.py  booking, series, rebooking, moving, the day's statuses, cancelling,
                   and a patient's confirm or cancel through their signed link
- waitlist.py      putting a patient on the waitlist, taking them off, booking an offer
- reminders.py     a booking's reminders; another try, asked for by staff
- feeds.py         calendar feeds: create, revoke
- confirmations.py a consent recorded at the desk, then the confirmation that was missed

The worker's side (sending reminders, offering a freed time) is not here: reminders.py
and waitlist.py one folder up. The appointment actions are also names of this package
(`actions.book`, `actions.Refused`); the others go by subject (`actions.waitlist.add`).
"""

from . import confirmations, feeds, reminders, waitlist
from .appointments import (
    MOVABLE,
    NEXT,
    Booker,
    NotCleared,
    Online,
    Refused,
    Taken,
    book,
    book_series,
    cancel,
    cancel_by_patient,
    change_status,
    check_bookable,
    check_in_refusal,
    confirm_by_patient,
    fits_visit,
    may_record,
    may_undo,
    move,
    move_slots,
    preview_series,
    rebook,
    rebook_slots,
    undo_status,
)

__all__ = [
    "MOVABLE",
    "NEXT",
    "Booker",
    "NotCleared",
    "Online",
    "Refused",
    "Taken",
    "book",
    "book_series",
    "cancel",
    "cancel_by_patient",
    "change_status",
    "check_bookable",
    "check_in_refusal",
    "confirm_by_patient",
    "confirmations",
    "feeds",
    "fits_visit",
    "may_record",
    "may_undo",
    "move",
    "move_slots",
    "preview_series",
    "rebook",
    "rebook_slots",
    "reminders",
    "undo_status",
    "waitlist",
]
