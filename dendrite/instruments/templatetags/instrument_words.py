"""Instrument codes in words, on every page (template builtins, settings.TEMPLATES):
{{ score.instrument|instrument }} → PHQ-9, {{ score.band|band_label }} → Moderately severe,
{{ flag|flag_label }} → Suicide risk, {{ code|instrument_title }} → the full title."""

from django import template

from .. import labels

register = template.Library()

register.filter("instrument", labels.short_title)
register.filter("instrument_title", labels.title)
register.filter("band_label", labels.band_label)
register.filter("flag_label", labels.flag_label)
