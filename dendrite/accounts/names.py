"""People by their full name, never their username (STYLE.md, "Words on screens").

The audit trail keeps each actor's id and username as they were; pages that show who did
what name them with `full_names`, one query for a page of entries.
"""

from collections.abc import Iterable

from .models import Role, User


def full_names(ids: Iterable[int | None], *, with_role: bool = False) -> dict[int, str]:
    """{user id: "Nora Quinlan"} (or "Nora Quinlan (Nurse)") for the ids given."""
    wanted = {pk for pk in ids if pk}
    people = User.objects.filter(pk__in=wanted).only("first_name", "last_name", "role")
    return {user.pk: name_of(user, with_role=with_role) for user in people}


def name_of(user: User, *, with_role: bool = False) -> str:
    name = user.get_full_name() or "A staff member without a name"
    if with_role and user.role in Role.values:
        return f"{name} ({Role(user.role).label})"
    return name
