"""The on-call rota page: everyone sees who is on call and the gaps; clinic admins add
and remove shifts at their own locations only."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.accounts.models import Role
from dendrite.alerts.models import OnCallShift
from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_user, query_count, signed_in

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)  # Monday 10:00 in Boston


def shift_data(location, clinician, starts="2026-12-01T08:00", ends="2026-12-02T08:00", **more):
    return {
        "location": location.pk,
        "clinician": clinician.pk,
        "starts": starts,
        "ends": ends,
    } | more


@time_machine.travel(NOW, tick=False)
def test_a_clinic_admin_adds_a_shift_in_local_time(clinic_admin, prescriber, nurse, boston):
    client = signed_in(clinic_admin)
    data = shift_data(boston, prescriber, backup=nurse.pk)
    assert client.post(reverse("alerts:rota"), data).status_code == 302
    shift = OnCallShift.objects.get()
    # 08:00 in Boston in December is 13:00 UTC.
    assert shift.starts_at == dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.UTC)
    assert (shift.clinician, shift.backup, shift.created_by) == (prescriber, nurse, clinic_admin)
    assert AuditEvent.objects.filter(action="alerts.oncallshift.create").exists()


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_gaps_in_the_next_two_weeks(clinic_admin, prescriber, boston):
    OnCallShift.objects.create(
        location=boston, clinician=prescriber,
        starts_at=NOW - dt.timedelta(hours=1), ends_at=NOW + dt.timedelta(days=1),
    )  # fmt: skip
    page = signed_in(clinic_admin).get(reverse("alerts:rota")).content.decode()
    assert "Nobody is on call for 1 period in the next 14 days" in page
    assert "Tue, Dec 1, 2026, 10:00 AM" in page  # the gap starts when the shift ends, local time


@time_machine.travel(NOW, tick=False)
def test_bad_shifts_are_refused_with_a_reason_and_nothing_saved(
    clinic_admin, prescriber, prescriber_hartford, boston
):
    client = signed_in(clinic_admin)
    response = client.post(
        reverse("alerts:rota"), shift_data(boston, prescriber, ends="2026-12-01T07:00")
    )
    assert response.status_code == 400
    assert b"The shift must end after it starts." in response.content
    assert b'value="2026-12-01T07:00"' in response.content  # what was typed is kept
    response = client.post(
        reverse("alerts:rota"), shift_data(boston, prescriber, backup=prescriber.pk)
    )
    assert b"The backup must be someone other than the person on call." in response.content
    response = client.post(reverse("alerts:rota"), shift_data(boston, prescriber_hartford))
    assert response.status_code == 400  # not a choice: another location's clinician
    response = client.post(reverse("alerts:rota"), {"location": boston.pk})
    assert b"Please give the date and time the shift starts." in response.content
    assert b"Please choose who is on call." in response.content
    response = client.post(reverse("alerts:rota"), {"clinician": ""})
    assert b"Please choose the location this shift covers." in response.content
    assert not OnCallShift.objects.exists()


def test_a_clinician_nobody_can_reach_is_refused(clinic_admin, boston):
    silent = make_user("silent_sam", Role.PRESCRIBER, boston)
    silent.email = ""
    silent.save()
    response = signed_in(clinic_admin).post(reverse("alerts:rota"), shift_data(boston, silent))
    assert b"has no e-mail address or mobile number" in response.content
    assert not OnCallShift.objects.exists()


def test_nurses_see_the_rota_but_cannot_change_it(nurse, prescriber, boston):
    client = signed_in(nurse)
    page = client.get(reverse("alerts:rota"))
    assert page.status_code == 200 and b"Add a shift" not in page.content
    client.post(reverse("alerts:rota"), shift_data(boston, prescriber))
    assert not OnCallShift.objects.exists()


def test_another_locations_admin_cannot_remove_a_shift(boston, hartford, prescriber, clinic_admin):
    shift = OnCallShift.objects.create(
        location=boston, clinician=prescriber, starts_at=NOW, ends_at=NOW + dt.timedelta(hours=8)
    )
    other = make_user("hanna_admin", Role.CLINIC_ADMIN, hartford)
    url = reverse("alerts:remove_shift", args=[shift.pk])
    assert signed_in(other).post(url).status_code == 404
    assert signed_in(prescriber).post(url).status_code == 403
    assert signed_in(clinic_admin).post(url).status_code == 302
    assert not OnCallShift.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("alerts:rota")).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_the_rota_keeps_a_constant_query_count(clinic_admin, prescriber, boston):
    client = signed_in(clinic_admin)
    few = query_count(lambda: client.get(reverse("alerts:rota")))
    for day in range(14):
        starts = NOW + dt.timedelta(days=day)
        OnCallShift.objects.create(
            location=boston,
            clinician=prescriber,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=8),
        )
    assert query_count(lambda: client.get(reverse("alerts:rota"))) == few
