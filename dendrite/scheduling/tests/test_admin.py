"""The back office for scheduling resources: a clinic admin sees and edits only their
own locations' appointment types, protocols, working hours and time off."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.conftest import make_user, signed_in
from dendrite.scheduling.models import AppointmentType, WorkingHours

pytestmark = pytest.mark.django_db


def test_a_clinic_admin_lists_only_their_own_locations_types(clinic_admin, boston, hartford):
    response = signed_in(clinic_admin).get(reverse("admin:scheduling_appointmenttype_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("location__slug", flat=True))
    assert shown == {boston.slug}


def test_a_clinic_admin_cannot_open_another_locations_type(clinic_admin, hartford):
    other = AppointmentType.objects.filter(location=hartford).first()
    url = reverse("admin:scheduling_appointmenttype_change", args=[other.pk])
    assert signed_in(clinic_admin).get(url).status_code == 302  # "doesn't exist" → index


def test_a_clinic_admin_sets_a_nurses_working_hours(clinic_admin, nurse, boston, hartford):
    stranger = make_user("nurse.hartford", "nurse", hartford)
    client = signed_in(clinic_admin)
    url = reverse("admin:scheduling_workinghours_add")
    form = client.get(url).context["adminform"].form
    assert set(form.fields["staff"].queryset) == {clinic_admin, nurse}
    assert stranger not in form.fields["staff"].queryset
    data = {
        "staff": nurse.pk,
        "location": boston.pk,
        "weekday": 0,
        "starts": "09:00",
        "ends": "15:00",
    }
    assert client.post(url, data).status_code == 302
    assert WorkingHours.objects.get().ends == dt.time(15)


def test_working_hours_must_end_after_they_start(clinic_admin, nurse, boston):
    url = reverse("admin:scheduling_workinghours_add")
    data = {
        "staff": nurse.pk,
        "location": boston.pk,
        "weekday": 0,
        "starts": "15:00",
        "ends": "09:00",
    }
    response = signed_in(clinic_admin).post(url, data)
    assert response.status_code == 200
    assert not WorkingHours.objects.exists()
