"""The portal's menu. Places still to come (messages, my record) are listed here and
shown once their pages exist, so the menu keeps one order as the portal grows."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Place:
    url_name: str
    label: str | Promise
    built: bool = True


PLACES = (
    Place("portal:home", _("Home")),
    Place("portal:appointments", _("Appointments")),
    Place("portal:questionnaires", _("Questionnaires")),
    Place("portal:progress", _("Progress and plans")),
    Place("portal:messages", _("Messages")),
    Place("portal:record", _("My record")),
    Place("portal:details", _("My details")),
    Place("portal:security", _("Sign-in and security")),
)


def shown() -> list[Place]:
    return [place for place in PLACES if place.built]
