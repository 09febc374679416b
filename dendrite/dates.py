"""One way to show a date or a time, everywhere: staff pages, e-mails, texts and PDFs.

The shapes are the locale's formats (dendrite/formats/en and es: "Mon, Nov 30, 2026,
2:05 PM"; "lun 30 nov 2026, 14:05"). The filters are template builtins (settings.TEMPLATES),
so every template has them without a `{% load %}`:

    {{ appointment.starts_at|when }}            Mon, Nov 30, 2026, 2:05 PM
    {{ appointment.starts_at|when:location.time_zone }}   the same, in that zone
    {{ appointment.starts_at|day }}             Mon, Nov 30, 2026
    {{ appointment.starts_at|clock }}           2:05 PM
    {{ patient.date_of_birth|born }}            Nov 30, 1985

A datetime is shown in the zone given, else the current one (`{% timezone %}`, or the
clinic's TIME_ZONE). test_date_formats.py refuses an ad-hoc `|date:"…"` in a template.
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language

register = template.Library()

Value = dt.datetime | dt.date | None


def _local(value: Value, zone: object = None) -> Value:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        if isinstance(zone, str) and zone:
            zone = ZoneInfo(zone)
        if isinstance(zone, dt.tzinfo):
            return value.astimezone(zone)
        return timezone.localtime(value)
    return value


def _shown(value: Value, zone: object, shape: str) -> str:
    local = _local(value, zone)
    if local in (None, ""):
        return ""
    # The zone is part of the key: aware datetimes in two zones compare (and hash) equal.
    tzinfo = getattr(local, "tzinfo", None)
    return _formatted(local, tzinfo, shape, get_language())


@lru_cache(maxsize=4096)
def _formatted(local: dt.date, tzinfo: object, shape: str, language: str | None) -> str:
    """A list page shows the same few days and times on many rows; each is formatted once
    per process and language (dateformat and the locale's month names are the costly part
    of a date filter)."""
    return date_format(local, shape)


@register.filter(expects_localtime=False)
def when(value: Value, zone: object = None) -> str:
    """A moment: its day and its time."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return day(value)
    return _shown(value, zone, "DATETIME_FORMAT")


@register.filter(expects_localtime=False)
def day(value: Value, zone: object = None) -> str:
    """A day, with its weekday."""
    return _shown(value, zone, "DATE_FORMAT")


@register.filter(expects_localtime=False)
def clock(value: Value | dt.time, zone: object = None) -> str:
    """A time of day."""
    if isinstance(value, dt.time):
        return time_format(value, "TIME_FORMAT")
    return _shown(value, zone, "TIME_FORMAT")


@register.filter(expects_localtime=False)
def born(value: Value) -> str:
    """A date without its weekday: a birth date, an expiry date."""
    return _shown(value, None, "SHORT_DATE_FORMAT")


@receiver(setting_changed)
def _forget_formats(**kwargs: object) -> None:
    """Tests that change the formats or the language settings see them at once."""
    _formatted.cache_clear()
