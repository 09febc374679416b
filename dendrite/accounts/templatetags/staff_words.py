"""People and roles in words on every page (template builtins, settings.TEMPLATES):
{{ user|person }} → Nora Quinlan, {{ user|person_role }} → Nora Quinlan (Nurse),
{{ event.actor_role|role_label }} → Front desk. Never a username."""

from django import template

from ..models import Role, User

register = template.Library()


@register.filter
def person(user: User | None) -> str:
    if user is None or user == "":
        return ""
    return user.get_full_name() or "A staff member without a name"


@register.filter
def person_role(user: User | None) -> str:
    if user is None or user == "":
        return ""
    role = user.get_role_display() if getattr(user, "role", "") else ""
    return f"{person(user)} ({role})" if role else person(user)


@register.filter
def role_label(code: str) -> str:
    if not code:
        return ""
    try:
        return str(Role(code).label)
    except ValueError:
        return code.replace("_", " ").capitalize()
