from django import template

from ..phones import for_display

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """An E.164 number the usual way: (617) 555-0142 (STYLE.md: formatted, and `tel:`)."""
    return for_display(value)
