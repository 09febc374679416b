"""The dose by weight (dosing.py): rounding, the cap, pounds and kilograms, the vial's
concentration, and the pump rate; every cut-off on both sides."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dendrite.infusions import dosing

D = Decimal
RULES = dosing.Rules(
    min_mg_per_kg=D("0.5"),
    max_mg_per_kg=D("1.0"),
    max_dose_mg=D(100),
    concentrations_mg_per_ml=(D(10), D(50), D(100)),
)


@pytest.mark.parametrize(
    ("weight", "mg_per_kg", "conc", "minutes", "mg", "ml", "rate"),
    [
        # 0.5 mg/kg over 40 minutes (CLINICAL.md §3.1 [R97][R98]).
        ("70.0", "0.5", 10, 40, "35.0", "3.50", "5.25"),
        ("80.0", "0.5", 10, 40, "40.0", "4.00", "6.00"),
        ("80.0", "0.5", 100, 40, "40.0", "0.40", "0.60"),
        ("80.0", "0.5", 50, 40, "40.0", "0.80", "1.20"),
        # Rounding to the nearest 0.5 mg: 72.3 × 0.5 = 36.15 → 36.0; 72.5 × 0.5 = 36.25 → 36.5.
        ("72.3", "0.5", 10, 40, "36.0", "3.60", "5.40"),
        ("72.5", "0.5", 10, 40, "36.5", "3.65", "5.48"),
        ("72.4", "0.5", 10, 40, "36.0", "3.60", "5.40"),
        # The cap: exactly 100 mg is allowed.
        ("100.0", "1.0", 10, 60, "100.0", "10.00", "10.00"),
        ("200.0", "0.5", 100, 40, "100.0", "1.00", "1.50"),
        # 200.1 kg × 0.5 = 100.05 mg, which rounds to exactly the cap: allowed.
        ("200.1", "0.5", 100, 40, "100.0", "1.00", "1.50"),
        # The lightest and heaviest weights accepted.
        ("20.0", "0.5", 10, 40, "10.0", "1.00", "1.50"),
        ("60.0", "1.0", 10, 60, "60.0", "6.00", "6.00"),
    ],
)
def test_the_dose_volume_and_rate_for_each_case(weight, mg_per_kg, conc, minutes, mg, ml, rate):
    dose = dosing.calculate(D(weight), D(mg_per_kg), D(conc), minutes, RULES)
    assert (str(dose.dose_mg), str(dose.drawn_ml), str(dose.rate_ml_per_h)) == (mg, ml, rate)


@pytest.mark.parametrize(
    ("weight", "mg_per_kg", "conc", "field"),
    [
        ("0", "0.5", 10, "weight"),
        ("19.9", "0.5", 10, "weight"),
        ("350.1", "0.5", 10, "weight"),
        ("900", "0.5", 10, "weight"),
        ("80", "0.49", 10, "mg_per_kg"),
        ("80", "1.01", 10, "mg_per_kg"),
        ("201.0", "0.5", 10, "mg_per_kg"),  # 100.5 mg: over the cap
        ("101.0", "1.0", 10, "mg_per_kg"),
        ("80", "0.5", 20, "concentration"),
        ("80", "0.5", 0, "concentration"),
    ],
)
def test_impossible_figures_are_refused_with_the_field_they_belong_to(
    weight, mg_per_kg, conc, field
):
    with pytest.raises(dosing.DoseError) as refused:
        dosing.calculate(D(weight), D(mg_per_kg), D(conc), 40, RULES)
    assert refused.value.field == field and refused.value.message


def test_a_dose_over_the_cap_is_refused_not_lowered():
    with pytest.raises(dosing.DoseError, match="more than the clinic's maximum of 100 mg"):
        dosing.calculate(D("120"), D("1.0"), D(10), 40, RULES)


def test_rounding_down_never_rounds_up():
    rules = dosing.Rules(**{**RULES.__dict__, "rounding": dosing.ROUND_DOWN_RULE})
    assert dosing.calculate(D("72.9"), D("0.5"), D(10), 40, rules).dose_mg == D("36.0")


def test_a_diluent_adds_to_the_volume_the_pump_runs():
    rules = dosing.Rules(**{**RULES.__dict__, "diluent_ml": D(100)})
    dose = dosing.calculate(D("80"), D("0.5"), D(10), 40, rules)
    assert (dose.drawn_ml, dose.total_ml, dose.rate_ml_per_h) == (
        D("4.00"),
        D("104.00"),
        D("156.00"),
    )


@pytest.mark.parametrize(
    ("value", "unit", "kg"),
    [("176", "lb", "79.8"), ("154.3", "lb", "70.0"), ("220", "lb", "99.8"), ("80", "kg", "80")],
)
def test_pounds_are_converted_once_to_kilograms(value, unit, kg):
    assert dosing.to_kg(D(value), unit) == D(kg)


def test_an_unknown_unit_is_refused():
    with pytest.raises(dosing.DoseError):
        dosing.to_kg(D(80), "stone")


def test_220_lb_entered_as_kilograms_is_refused_by_the_cap_not_given():
    # CLINICAL.md §9.3 [B7]: 220 lb recorded as 220 kg gives 2.2 times the dose.
    with pytest.raises(dosing.DoseError):
        dosing.calculate(D(220), D("0.5"), D(10), 40, RULES)
    assert dosing.calculate(dosing.to_kg(D(220), "lb"), D("0.5"), D(10), 40, RULES).dose_mg == D(
        "50.0"
    )


def test_two_calculations_agree_within_one_scale_step_and_differ_beyond_it():
    first = dosing.calculate(D("80.0"), D("0.5"), D(10), 40, RULES)
    assert (
        dosing.disagreements(first, dosing.calculate(D("80.1"), D("0.5"), D(10), 40, RULES)) == []
    )
    assert dosing.disagreements(first, dosing.calculate(D("80.2"), D("0.5"), D(10), 40, RULES)) == [
        "weight"
    ]
    assert dosing.disagreements(
        first, dosing.calculate(D("80.0"), D("0.5"), D(100), 40, RULES)
    ) == ["concentration"]


weights = st.decimals(min_value=20, max_value=350, places=1)
doses = st.sampled_from([D("0.5"), D("0.6"), D("0.75"), D("0.8"), D("1.0")])
concentrations = st.sampled_from(RULES.concentrations_mg_per_ml)
minutes = st.integers(min_value=40, max_value=60)


@given(weights, doses, concentrations, minutes)
def test_every_accepted_dose_is_within_half_a_step_of_weight_times_dose_and_under_the_cap(
    w, d, c, m
):
    try:
        dose = dosing.calculate(w, d, c, m, RULES)
    except dosing.DoseError as error:
        assert error.field == "mg_per_kg" and w * d > RULES.max_dose_mg - RULES.dose_step_mg / 2
        return
    assert abs(dose.dose_mg - w * d) <= RULES.dose_step_mg / 2
    assert dose.dose_mg <= RULES.max_dose_mg
    assert abs(dose.drawn_ml * c - dose.dose_mg) <= D("0.005") * c
    assert abs(dose.rate_ml_per_h - dose.total_ml * 60 / m) <= RULES.rate_step_ml_per_h / 2


@given(st.decimals(min_value=44, max_value=770, places=1))
def test_a_weight_in_pounds_is_about_2_2_times_its_kilograms(pounds):
    kg = dosing.to_kg(pounds, dosing.LB)
    assert abs(kg * D("2.20462") - pounds) <= D("0.15")
    assert abs(dosing.to_lb(kg) - pounds) <= D("0.15")


@given(weights, doses, concentrations)
def test_a_heavier_patient_never_gets_less(w, d, c):
    try:
        lighter = dosing.calculate(w, d, c, 40, RULES)
        heavier = dosing.calculate(min(w + 1, D(350)), d, c, 40, RULES)
    except dosing.DoseError:
        return
    assert heavier.dose_mg >= lighter.dose_mg
