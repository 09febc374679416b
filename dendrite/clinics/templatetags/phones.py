from django import template

from ..phones import for_display, to_e164

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """An E.164 number the usual way: (617) 555-0142 (STYLE.md: formatted, and `tel:`)."""
    return for_display(value)


@register.filter
def tel(value: str) -> str:
    """The number for a `tel:` link: E.164 when it is a valid number, else as stored."""
    return to_e164(value or "") or (value or "")
