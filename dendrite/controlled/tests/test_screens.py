"""The log's screens: who may open them, what they save, what they refuse.

Nurses and prescribers of a location write and read its log; the clinic admin reads
and exports it; the front desk has no access; another location's log is a 404.
"""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from dendrite.audit.models import AuditEvent
from dendrite.conftest import current_code, query_count, signed_in
from dendrite.controlled.models import Count, Movement, Receipt, Vial

from .conftest import D, administer

pytestmark = pytest.mark.django_db


def receive_data(**extra):
    today = timezone.localdate()
    return {
        "received_on": today.isoformat(), "supplier_name": "Example Pharma Supply",
        "supplier_address": "1 Warehouse Way, Memphis, TN", "supplier_dea_number": "RX1234563",
        "invoice_number": "INV-9", "vials": "3", "ndc": "0409-2051-05", "lot": "LOT7",
        "expires_on": (today + dt.timedelta(days=300)).isoformat(),
        "concentration_mg_per_ml": "50", "volume_ml": "10", "stored_in": "Safe 1", "note": "",
    } | extra  # fmt: skip


# Who gets what (own location unless said otherwise)


@pytest.mark.parametrize("name", ["log", "receive", "count_new", "loss", "dispose"])
def test_anonymous_people_are_sent_to_sign_in(client, boston, name):
    response = client.get(reverse(f"controlled:{name}", args=[boston.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["index", "log", "receive", "count_new", "loss", "dispose"])
def test_the_front_desk_has_no_access(front_desk, boston, name):
    args = [] if name == "index" else [boston.pk]
    assert signed_in(front_desk).get(reverse(f"controlled:{name}", args=args)).status_code == 403


@pytest.mark.parametrize("name", ["receive", "count_new", "loss", "dispose"])
def test_a_clinic_admin_reads_but_does_not_write(clinic_admin, boston, name):
    client = signed_in(clinic_admin)
    assert client.get(reverse("controlled:log", args=[boston.pk])).status_code == 200
    assert client.get(reverse(f"controlled:{name}", args=[boston.pk])).status_code == 403
    assert client.post(reverse(f"controlled:{name}", args=[boston.pk]), {}).status_code == 403


@pytest.mark.parametrize("name", ["log", "receive", "count_new", "loss", "dispose", "export"])
def test_another_locations_log_is_not_found(nurse, hartford, name):
    response = signed_in(nurse).get(reverse(f"controlled:{name}", args=[hartford.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(outcome="denied", object_id=str(hartford.pk)).exists()


def test_another_locations_vial_and_count_are_not_found(nurse, hartford_vial, hartford):
    client = signed_in(nurse)
    assert client.get(reverse("controlled:vial", args=[hartford_vial.pk])).status_code == 404
    count = Count.objects.create(
        location=hartford, kind="daily", timing="close", taken_at=timezone.now(),
        by=hartford_vial.receipt.received_by, signed_at=timezone.now(), expected_ml=D(10),
        counted_ml=D(10), has_discrepancy=False,
    )  # fmt: skip
    assert client.get(reverse("controlled:count", args=[count.pk])).status_code == 404


def test_someone_at_one_location_goes_straight_to_its_log(nurse, boston):
    response = signed_in(nurse).get(reverse("controlled:index"))
    assert response["Location"] == reverse("controlled:log", args=[boston.pk])


# Receiving


def test_receiving_stock_enters_each_vial_with_its_volume(nurse, boston):
    response = signed_in(nurse).post(
        reverse("controlled:receive", args=[boston.pk]), receive_data()
    )
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.received_by == nurse and receipt.vials.count() == 3
    assert {v.balance_ml for v in Vial.objects.with_balance()} == {D("10.00")}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("supplier_dea_number", "RX1234564"),  # check digit wrong
        ("ndc", "04092051"),
        ("volume_ml", "0"),
        ("volume_ml", "2.555"),
        ("volume_ml", "ten"),
        ("vials", "0"),
        ("concentration_mg_per_ml", "25"),
        ("expires_on", "2000-01-01"),
        ("received_on", "2999-01-01"),
    ],
)
def test_bad_stock_is_refused_per_field_and_nothing_is_saved(nurse, boston, field, value):
    response = signed_in(nurse).post(
        reverse("controlled:receive", args=[boston.pk]), receive_data(**{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert value in response.content.decode()  # what was typed is kept
    assert not Receipt.objects.exists() and not Vial.objects.exists()


# The log and a vial


def test_the_log_shows_balances_in_ml_and_mg(
    nurse, prescriber, boston, boston_vials, alice_infusion
):
    administer(boston_vials[0], alice_infusion, nurse, prescriber)
    response = signed_in(nurse).get(reverse("controlled:log", args=[boston.pk]))
    page = response.content.decode()
    assert "In total 860.00 mg of ketamine: 17.20 mL of 50.00 mg/mL" in page
    assert "Drawn 2.80 mL, given 2.50 mL, wasted 0.30 mL" in page and "Alice" in page
    assert "<td>860.00 mg</td>" in page  # the location's running total after the draw


def test_the_admin_sees_the_mrn_not_the_name(
    clinic_admin, nurse, prescriber, boston, boston_vials, alice_infusion
):
    administer(boston_vials[0], alice_infusion, nurse, prescriber)
    page = signed_in(clinic_admin).get(reverse("controlled:log", args=[boston.pk])).content.decode()
    assert alice_infusion.patient.mrn in page and "Alice" not in page


def test_the_logs_query_count_does_not_grow_with_its_entries(
    nurse, prescriber, boston, boston_vials, alice_infusion
):
    client = signed_in(nurse)
    url = reverse("controlled:log", args=[boston.pk])
    few = query_count(lambda: client.get(url))
    for _ in range(3):
        administer(boston_vials[1], alice_infusion, nurse, prescriber)
    assert query_count(lambda: client.get(url)) == few


def test_a_vials_page_lists_its_entries_with_the_balance_after_each(
    nurse, prescriber, boston_vials, alice_infusion
):
    administer(boston_vials[0], alice_infusion, nurse, prescriber)
    response = signed_in(prescriber).get(reverse("controlled:vial", args=[boston_vials[0].pk]))
    assert response.context["adds_up"]
    assert [m.balance_after_ml for m in response.context["movements"]] == [D("10"), D("7.20")]


# Counts


def count_data(vials, volumes, **extra):
    data = {"kind": "daily", "timing": "close", "explanation": "", "code": ""}
    data |= {f"vial_{v.pk}": volume for v, volume in zip(vials, volumes, strict=True)}
    return data | extra


def test_a_matching_count_is_signed_with_the_takers_code(nurse, boston, boston_vials):
    data = count_data(boston_vials, ["10", "10.00"], code=current_code(nurse))
    response = signed_in(nurse).post(reverse("controlled:count_new", args=[boston.pk]), data)
    count = Count.objects.get()
    assert response["Location"] == reverse("controlled:count", args=[count.pk])
    assert not count.has_discrepancy and count.by == nurse


def test_a_count_without_the_code_or_with_a_wrong_one_is_not_saved(nurse, boston, boston_vials):
    client = signed_in(nurse)
    url = reverse("controlled:count_new", args=[boston.pk])
    for code in ("", "000000"):
        response = client.post(url, count_data(boston_vials, ["10", "10"], code=code))
        assert response.status_code == 400 and "code" in response.context["form"].errors
    assert not Count.objects.exists()


def test_a_difference_must_be_explained_before_the_code_is_used(nurse, boston, boston_vials):
    client = signed_in(nurse)
    url = reverse("controlled:count_new", args=[boston.pk])
    response = client.post(url, count_data(boston_vials, ["9.5", "10"], code=current_code(nurse)))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"explanation"}
    assert "9.5" in response.content.decode() and not Count.objects.exists()
    data = count_data(
        boston_vials, ["9.5", "10"], code=current_code(nurse), explanation="Spilt while drawing."
    )
    response = client.post(url, data)
    count = Count.objects.get()
    assert count.has_discrepancy and count.explanation == "Spilt while drawing."
    page = client.get(response["Location"]).content.decode()
    assert "-0.50 mL" in page and "Spilt while drawing." in page


def test_bad_volumes_in_a_count_are_refused_per_vial(nurse, boston, boston_vials):
    data = count_data(boston_vials, ["-1", "ten"], code=current_code(nurse))
    response = signed_in(nurse).post(reverse("controlled:count_new", args=[boston.pk]), data)
    errors = response.context["form"].errors
    assert {f"vial_{boston_vials[0].pk}", f"vial_{boston_vials[1].pk}"} <= set(errors)
    assert not Count.objects.exists()


# Theft or loss, disposal


def test_a_loss_is_recorded_with_the_form_106_reminder(nurse, boston, boston_vials):
    client = signed_in(nurse)
    url = reverse("controlled:loss", args=[boston.pk])
    assert "DEA Form 106" in client.get(url).content.decode()
    found = boston.local_now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    data = {
        "vial": boston_vials[0].pk, "volume_ml": "10", "description": "Missing from the safe.",
        "discovered_at": found.strftime("%Y-%m-%dT%H:%M"),
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    loss = Movement.objects.get(kind=Movement.Kind.LOST)
    assert loss.at == found and loss.note == "Missing from the safe."


def test_a_loss_larger_than_the_vial_holds_is_refused(nurse, boston, boston_vials):
    data = {
        "vial": boston_vials[0].pk, "volume_ml": "10.5", "description": "Missing.",
        "discovered_at": boston.local_now().strftime("%Y-%m-%dT%H:%M"),
    }  # fmt: skip
    response = signed_in(nurse).post(reverse("controlled:loss", args=[boston.pk]), data)
    assert response.status_code == 400 and "volume_ml" in response.context["form"].errors
    assert not Movement.objects.filter(kind=Movement.Kind.LOST).exists()


def test_a_disposal_needs_the_witnesss_own_code(nurse, prescriber, boston, boston_vials):
    client = signed_in(nurse)
    url = reverse("controlled:dispose", args=[boston.pk])
    data = {
        "vial": boston_vials[0].pk, "kind": "disposed", "method": "Reverse distributor",
        "reference": "", "witness": prescriber.pk,
    }  # fmt: skip
    assert client.post(url, data | {"witness_code": current_code(prescriber)}).status_code == 302
    disposal = Movement.objects.get(kind=Movement.Kind.DISPOSED)
    assert disposal.witness == prescriber and disposal.balance_after_ml == 0


def test_a_disposal_with_a_wrong_witness_code_or_no_witness_is_not_saved(
    nurse, prescriber, boston, boston_vials
):
    client = signed_in(nurse)
    url = reverse("controlled:dispose", args=[boston.pk])
    data = {
        "vial": boston_vials[0].pk, "kind": "disposed", "method": "Reverse distributor",
        "reference": "", "witness": prescriber.pk, "witness_code": "000000",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400 and "witness_code" in response.context["form"].errors
    response = client.post(url, data | {"witness": ""})
    assert response.status_code == 400 and "witness" in response.context["form"].errors
    assert not Movement.objects.filter(kind=Movement.Kind.DISPOSED).exists()


# Export


def test_the_export_is_a_csv_of_the_range_with_what_an_inspector_needs(
    clinic_admin, nurse, prescriber, boston, boston_vials, alice_infusion
):
    administer(boston_vials[0], alice_infusion, nurse, prescriber)
    boston.dea_number, boston.state_registration_number = "AB1234563", "MCSR-0012345"
    boston.save()
    today = boston.local_now().date()
    response = signed_in(clinic_admin).get(
        reverse("controlled:export", args=[boston.pk]),
        {"start": today.isoformat(), "end": today.isoformat()},
    )
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv"
    lines = b"".join(response.streaming_content).decode().splitlines(keepends=True)
    preamble, table = lines[:6], lines[6:]
    assert preamble[2].strip() == "DEA registration number,AB1234563"
    assert preamble[3].strip() == "State controlled-substance registration number,MCSR-0012345"
    rows = list(csv.DictReader(io.StringIO("".join(table))))
    assert [r["Entry"] for r in rows] == ["Received", "Received", "Drawn for an infusion"]
    drawn = rows[-1]
    assert (drawn["Drawn (mL)"], drawn["Given (mL)"], drawn["Wasted (mL)"]) == (
        "2.80",
        "2.50",
        "0.30",
    )
    assert drawn["Patient"] == "Alice Lovelace" and drawn["Witness"] == "Priya Tester"
    assert drawn["Change (mg)"] == "-140.00" and drawn["Location balance after (mg)"] == "860.00"
    assert rows[0]["Supplier DEA number"] == "RX1234563"
    assert AuditEvent.objects.filter(
        action="controlled.log.export", actor_id=clinic_admin.pk
    ).exists()


def test_an_export_outside_the_range_starts_from_the_balance_before_it(nurse, boston, boston_vials):
    tomorrow = boston.local_now().date() + dt.timedelta(days=1)
    response = signed_in(nurse).get(
        reverse("controlled:export", args=[boston.pk]),
        {"start": tomorrow.isoformat(), "end": tomorrow.isoformat()},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 7  # the registration, a blank line and the header alone
    assert rows[-1][0] == "Date and time"


def test_an_export_with_the_dates_backwards_is_refused(nurse, boston):
    response = signed_in(nurse).get(
        reverse("controlled:export", args=[boston.pk]), {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert response.status_code == 400 and "end" in response.context["export_form"].errors


def test_text_that_a_spreadsheet_would_run_is_defused():
    from dendrite.controlled.export import cell

    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and cell("Safe 1") == "Safe 1"
