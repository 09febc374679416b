from django import template

from ..nav import Place, shown

register = template.Library()


@register.simple_tag
def portal_places() -> list[Place]:
    return shown()
