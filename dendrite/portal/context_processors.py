import functools

from django.http import HttpRequest

from .access import MESSAGE_ROLES, new_message_count


def new_patient_messages(request: HttpRequest) -> dict[str, object]:
    """How many message threads at the user's locations wait for an answer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    if user.role not in MESSAGE_ROLES:
        return {}
    # A cached callable: only pages that show the count run the query, and only once.
    return {"new_message_count": functools.cache(lambda: new_message_count(user))}
