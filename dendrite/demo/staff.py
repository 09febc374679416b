"""Demo staff: one user per role per location, with known passwords and TOTP secrets.

For the local demo only: `load_demo` refuses to run outside debug mode.
"""

import base64
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location

DEMO_PASSWORD = "demo-Dendrite-2026"

EVERY_LOCATION = "*"
PEOPLE = {
    # (location slug, role): (first name, last name) — invented names.
    ("boston", Role.FRONT_DESK): ("Fran", "Desmond"),
    ("boston", Role.NURSE): ("Nora", "Quinlan"),
    ("boston", Role.PRESCRIBER): ("Priya", "Raman"),
    ("boston", Role.CLINIC_ADMIN): ("Adam", "Mercer"),
    ("west-hartford", Role.FRONT_DESK): ("Felix", "Dunne"),
    ("west-hartford", Role.NURSE): ("Nia", "Okafor"),
    ("west-hartford", Role.PRESCRIBER): ("Paul", "Weiss"),
    ("west-hartford", Role.CLINIC_ADMIN): ("Alma", "Castillo"),
    # The owner: a clinic admin of every location, who alone may export everything
    # (fhir/exit_views.py).
    (EVERY_LOCATION, Role.CLINIC_ADMIN): ("Grace", "Whitlock"),
}
USERNAME_PREFIX = {
    Role.FRONT_DESK: "frontdesk",
    Role.NURSE: "nurse",
    Role.PRESCRIBER: "prescriber",
    Role.CLINIC_ADMIN: "admin",
}
LOCATION_SUFFIX = {"boston": "boston", "west-hartford": "hartford", EVERY_LOCATION: "network"}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    location: str
    totp_secret: str


def demo_key(username: str) -> bytes:
    """A fixed 20-byte TOTP key per demo user, so the printed secrets never change."""
    return hashlib.sha256(f"dendrite-demo-totp:{username}".encode()).digest()[:20]


@transaction.atomic
def load_users() -> list[DemoLogin]:
    locations = {location.slug: location for location in Location.objects.all()}
    logins = []
    for (slug, role), (first, last) in PEOPLE.items():
        username = f"{USERNAME_PREFIX[role]}.{LOCATION_SUFFIX[slug]}"
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@dendrite.invalid",
                "role": role,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        places = list(locations.values()) if slug == EVERY_LOCATION else [locations[slug]]
        user.locations.set(places)
        key = demo_key(username)
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": key.hex(), "confirmed": True},
        )
        where = " and ".join(sorted(place.name for place in places))
        logins.append(DemoLogin(username, Role(role).label, where, secret_of(key)))
    return logins


def secret_of(key: bytes) -> str:
    return base64.b32encode(key).decode()
