"""A location's ketamine registration: the DEA number's format and check digit (pure),
and the numbers a clinic admin keeps in the back office."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from dendrite.clinics.models import Location
from dendrite.clinics.registration import check_digit, dea_number_ok, normalise
from dendrite.conftest import signed_in


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("AB1234563", True),  # 1+3+5 = 9, 2×(2+4+6) = 24, 33 → 3
        ("AB1234564", False),  # wrong check digit
        ("BR1234563", True),
        ("F91234563", True),  # 9: a business
        ("A91234563", True),
        ("9B1234563", False),  # the first character is a letter
        ("AB123456", False),  # too short
        ("AB12345633", False),  # too long
        ("ab1234563", False),  # normalised first (normalise), not here
        ("AB12-4563", False),
        ("", False),
    ],
)
def test_a_dea_number_is_two_letters_seven_digits_and_a_right_check_digit(number, ok):
    assert dea_number_ok(number) is ok


def test_what_is_typed_is_tidied_before_it_is_checked():
    assert normalise(" ab 123 4563 ") == "AB1234563"


@given(st.text(alphabet="0123456789", min_size=6, max_size=6), st.integers(0, 9))
def test_exactly_one_last_digit_fits(six, last):
    assert dea_number_ok(f"MX{six}{last}") is (last == check_digit(six))


def location_form(location: Location, **changes: str) -> dict[str, str]:
    data = {
        "organization": str(location.organization_id), "name": location.name,
        "slug": location.slug, "street": location.street, "city": location.city,
        "state": location.state, "postal_code": location.postal_code, "phone": location.phone,
        "email": "", "time_zone": location.time_zone, "is_active": "on",
        "first_response_business_days": "1", "registrant_name": "",
        "dea_number": "", "state_registration_number": "", "daily_count_due_by": "10:00",
    }  # fmt: skip
    for prefix in ("opening_hours", "closures", "chairs"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | changes


@pytest.mark.django_db
def test_a_clinic_admin_records_the_registration_numbers(clinic_admin, boston):
    url = reverse("admin:clinics_location_change", args=[boston.pk])
    data = location_form(
        boston, dea_number="br1234563", state_registration_number="MCSR-0012345",
        registrant_name="Dr. Rhea Registrant", daily_count_due_by="09:30",
    )  # fmt: skip
    response = signed_in(clinic_admin).post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    boston.refresh_from_db()
    assert (boston.dea_number, boston.state_registration_number) == ("BR1234563", "MCSR-0012345")
    assert (
        boston.registrant == "Dr. Rhea Registrant" and str(boston.daily_count_due_by) == "09:30:00"
    )


@pytest.mark.django_db
def test_a_wrong_dea_number_is_refused_with_a_reason_and_nothing_saved(clinic_admin, boston):
    url = reverse("admin:clinics_location_change", args=[boston.pk])
    data = location_form(boston, dea_number="BR1234564", state_registration_number="<x>")
    response = signed_in(clinic_admin).post(url, data)
    errors = response.context["adminform"].form.errors
    assert response.status_code == 200
    assert "last digit must match" in errors["dea_number"][0]
    assert "state certificate" in errors["state_registration_number"][0]
    boston.refresh_from_db()
    assert boston.dea_number == ""


@pytest.mark.django_db
def test_without_a_registrant_the_organisation_is_named(boston):
    assert boston.registrant == boston.organization.name
