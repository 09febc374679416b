"""The dashboard's filters: location, months, cohort."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from dendrite.outcomes.models import Condition

from .queries import Scope

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_start(text: str) -> dt.datetime | None:
    match = MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or not 1900 <= int(match[1]) <= 9998:
        return None
    return timezone.make_aware(dt.datetime(int(match[1]), int(match[2]), 1))


def next_month(start: dt.datetime) -> dt.datetime:
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return timezone.make_aware(dt.datetime(year, month, 1))


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})

    def clean(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        start = month_start(text)
        if start is None:
            raise forms.ValidationError("Enter a month as year and month, e.g. 2026-01.")
        return start


class DashboardFilter(forms.Form):
    location = forms.ChoiceField(required=False, label="Location")
    from_month = MonthField(required=False, label="From month")
    to_month = MonthField(required=False, label="To month (included)")
    condition = forms.ChoiceField(
        required=False,
        label="Condition",
        choices=[("", "Every patient"), *Condition.choices],
    )
    cohort = MonthField(required=False, label="Cohort: first infusion in month")

    def __init__(self, *args: Any, locations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locations = locations
        choices = [("", "All my locations")] + [(str(loc.pk), loc.name) for loc in locations]
        self.fields["location"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from_month"), data.get("to_month")
        if start and end and end < start:
            self.add_error("to_month", "The last month must not be before the first.")
        return data

    def scope(self) -> Scope:
        """The scope asked for (valid or not: bad fields fall back to the defaults)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        if self.errors:
            data = {}
        this_month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0,
                                                  microsecond=0)  # fmt: skip
        end_month = data.get("to_month") or this_month
        start = data.get("from_month") or next_month(end_month.replace(year=end_month.year - 1))
        location = data.get("location") or ""
        ids = tuple(loc.pk for loc in self.locations if not location or str(loc.pk) == location)
        cohort = data.get("cohort")
        return Scope(
            location_ids=ids,
            start=start,
            end=next_month(end_month),
            condition=data.get("condition") or "",
            cohort_start=cohort,
            cohort_end=next_month(cohort) if cohort else None,
        )
