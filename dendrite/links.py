"""Addresses for every row of a list, reversed once."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse

# Any id: where a row's own id goes in an address reversed once for a whole list.
_ROW = 987_654_321


def row_url(name: str, *args: Any) -> Callable[[Any], str]:
    """The URL `name` of `args` then a row's id, for every row of a list: reversed once,
    each id then put in its place (`reverse()` or the `{% url %}` tag costs some 20 µs a
    call, and lists grow: the chart's tables, the inbox, the patient list, a day's
    visits)."""
    before, _, after = reverse(name, args=[*args, _ROW]).rpartition(str(_ROW))
    return lambda pk: f"{before}{pk}{after}"
