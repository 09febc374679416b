"""Free times at one synthetic location, handed out day by day without overlaps: pure.

Chairs take two-hour slots (an infusion holds its chair 100 minutes): even chairs at
7, 9, … 17 o'clock, odd chairs at 8, 10, … 16, so the one nurse of each pair of chairs
(40 minutes of their time a visit) never has two at once. Prescribers take hour slots
from 7 to 18 o'clock. A day that is full or closed moves the visit to the next open day.
Each patient's visits are on different days (the builder asks for a later day each
time), so no patient is in two places either.
"""

import datetime as dt

FIRST_HOUR, LAST_CHAIR_HOUR, LAST_DESK_HOUR = 7, 17, 18


class Calendar:
    def __init__(self, chairs: int, prescribers: int, open_weekdays: frozenset[int]) -> None:
        self.chair_slots = sorted(
            (
                (hour, chair)
                for chair in range(chairs)
                for hour in range(FIRST_HOUR + chair % 2, LAST_CHAIR_HOUR + 1, 2)
            ),
        )
        self.desk_slots = [
            (hour, prescriber)
            for hour in range(FIRST_HOUR, LAST_DESK_HOUR + 1)
            for prescriber in range(prescribers)
        ]
        self.open_weekdays = open_weekdays
        self.used: dict[tuple[dt.date, bool], int] = {}

    def take(self, day: dt.date, chair: bool) -> tuple[dt.date, int, int]:
        """The first free slot on `day` or the next open day with one: (day, hour, index of
        the chair or the prescriber)."""
        slots = self.chair_slots if chair else self.desk_slots
        while True:
            if day.weekday() in self.open_weekdays:
                used = self.used.get((day, chair), 0)
                if used < len(slots):
                    self.used[day, chair] = used + 1
                    hour, index = slots[used]
                    return day, hour, index
            day += dt.timedelta(days=1)

    def forget_before(self, day: dt.date) -> None:
        """Drop the counts of days no patient still to come will ask for (flat memory)."""
        for key in [key for key in self.used if key[0] < day]:
            del self.used[key]
