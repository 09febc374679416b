"""The words staff read for the instruments' codes: titles, score bands, safety flags.

Pure (no Django): the FHIR export and the template filters (templatetags/instrument_words)
both read these, so a band reads "Moderately severe" on every page and in every export.
"""

import re
from functools import cache

from . import loader

# One plain label per band code, whatever the instrument (the instrument is in Observation.code).
BAND_LABELS = {
    "none-minimal": "None or minimal",
    "minimal": "Minimal",
    "mild": "Mild",
    "moderate": "Moderate",
    "moderately-severe": "Moderately severe",
    "severe": "Severe",
    "negative": "Negative screen",
    "positive": "Positive screen",
    "zone-1": "Zone I",
    "zone-2": "Zone II",
    "zone-3": "Zone III",
    "zone-4": "Zone IV",
    "none": "None",
    "low": "Low",
    "substantial": "Substantial",
    "high": "High",
    "probable-ptsd": "Provisional PTSD",
    "below-threshold": "Below the threshold",
}
FLAG_LABELS = {
    "suicide-risk": "Suicide risk",
    "suicide-risk-high": "High suicide risk",
}


def band_label(slug: str) -> str:
    """'moderately-severe' → 'Moderately severe'; an unknown slug still reads as words."""
    if not slug:
        return ""
    return BAND_LABELS.get(slug) or slug.replace("-", " ").replace("_", " ").capitalize()


def flag_label(flag: str) -> str:
    """'suicide-risk' → 'Suicide risk'."""
    if not flag:
        return ""
    return FLAG_LABELS.get(flag) or flag.replace("-", " ").replace("_", " ").capitalize()


@cache
def short_title(code: str) -> str:
    """'phq-9' → 'PHQ-9', from the definition's title '… (PHQ-9)'."""
    if not code:
        return ""
    try:
        title = str(loader.get_definition(code).get("title") or "")
    except loader.UnknownInstrument:
        return code.upper()
    short = re.search(r"\(([^()]+)\)\s*$", title)
    return short.group(1) if short else title or code.upper()


@cache
def title(code: str) -> str:
    """'phq-9' → 'Patient Health Questionnaire-9 (PHQ-9)'."""
    if not code:
        return ""
    try:
        return str(loader.get_definition(code).get("title") or code.upper())
    except loader.UnknownInstrument:
        return code.upper()
