"""The access-helper pattern: role and location checked, every attempt audited, 404 otherwise."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from dendrite.accounts.access import fetch_for, get_location_for, scope_for
from dendrite.accounts.models import Role
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Chair, Location

pytestmark = pytest.mark.django_db


def test_staff_open_their_own_location_and_the_read_is_audited(nurse, boston):
    assert get_location_for(nurse, boston.pk) == boston
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id, event.outcome) == (
        "clinics.location.read",
        str(boston.pk),
        "success",
    )
    assert event.actor_username == nurse.username


def test_the_other_location_is_a_404_and_the_attempt_is_audited(nurse, hartford):
    with pytest.raises(Http404):
        get_location_for(nurse, hartford.pk)
    assert AuditEvent.objects.get().outcome == "denied"


def test_a_missing_or_malformed_id_is_a_404(nurse, boston):
    for pk in (999_999, "not-a-number", None):
        with pytest.raises(Http404):
            get_location_for(nurse, pk)


def test_anonymous_users_are_refused(boston):
    with pytest.raises(Http404):
        get_location_for(AnonymousUser(), boston.pk)


def test_a_role_outside_the_allowed_set_is_refused(front_desk, nurse, boston):
    chair = Chair.objects.get(location=boston)
    clinical_only = {Role.NURSE, Role.PRESCRIBER}

    def open_chair(user):
        return fetch_for(
            user,
            Chair.objects.all(),
            chair.pk,
            roles=clinical_only,
            location_of=lambda c: c.location_id,
        )

    assert open_chair(nurse) == chair
    with pytest.raises(Http404):
        open_chair(front_desk)
    outcomes = list(AuditEvent.objects.values_list("actor_username", "outcome"))
    assert outcomes == [(nurse.username, "success"), (front_desk.username, "denied")]


def test_an_inactive_user_is_refused(nurse, boston):
    nurse.is_active = False
    with pytest.raises(Http404):
        get_location_for(nurse, boston.pk)


def test_scope_for_narrows_a_list_to_the_users_locations(nurse, boston, hartford):
    assert list(scope_for(nurse, Chair.objects.all())) == list(
        Chair.objects.filter(location=boston)
    )
    assert list(scope_for(nurse, Location.objects.all(), "pk")) == [boston]


def test_createsuperuser_makes_a_clinic_admin():
    from django.core.management import call_command

    from dendrite.accounts.models import User

    call_command("createsuperuser", "--noinput", "--username=root", "--email=root@example.test")
    assert User.objects.get(username="root").role == Role.CLINIC_ADMIN
