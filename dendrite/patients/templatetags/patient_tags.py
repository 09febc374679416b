from django import template

from ..phones import for_display

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """An E.164 number the usual way: (617) 555-0142."""
    return for_display(value)


@register.filter
def band(value: str) -> str:
    """A score band slug in words: "moderately-severe" → "moderately severe"."""
    return value.replace("-", " ")
