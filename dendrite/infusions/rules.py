"""The clinic's infusion settings as the pure modules' plain values."""

from decimal import Decimal

from django.conf import settings

from . import dosing, vitals


def dosing_rules() -> dosing.Rules:
    return dosing.Rules(
        min_mg_per_kg=Decimal(settings.INFUSION_MIN_MG_PER_KG),
        max_mg_per_kg=Decimal(settings.INFUSION_MAX_MG_PER_KG),
        max_dose_mg=Decimal(settings.INFUSION_MAX_DOSE_MG),
        concentrations_mg_per_ml=concentrations(),
        dose_step_mg=Decimal(settings.INFUSION_DOSE_STEP_MG),
        rounding=settings.INFUSION_DOSE_ROUNDING,
        diluent_ml=Decimal(settings.INFUSION_DILUENT_ML),
    )


def concentrations() -> tuple[Decimal, ...]:
    return tuple(Decimal(c) for c in settings.INFUSION_CONCENTRATIONS_MG_PER_ML)


def limits() -> vitals.Limits:
    values = dict(settings.INFUSION_LIMITS)
    values["temperature_high"] = Decimal(values["temperature_high"])
    return vitals.Limits(**values)
