"""How dates and times read in English: the US clinic style, one for every page, e-mail
and PDF (dendrite/dates.py names them: day, when, clock, born)."""

DATE_FORMAT = "D, M j, Y"  # Mon, Nov 30, 2026
DATETIME_FORMAT = "D, M j, Y, g:i A"  # Mon, Nov 30, 2026, 2:05 PM
TIME_FORMAT = "g:i A"  # 2:05 PM
SHORT_DATE_FORMAT = "M j, Y"  # Nov 30, 2026 (a birth date: the weekday is noise)
SHORT_DATETIME_FORMAT = "M j, Y, g:i A"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
