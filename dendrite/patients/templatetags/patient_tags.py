from django import template
from django.utils.safestring import SafeString

from dendrite.clinics.phones import for_display
from dendrite.instruments.labels import band_label

from ..chart import Section
from ..models import Patient

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """An E.164 number the usual way: (617) 555-0142 (also `{% load phones %}`)."""
    return for_display(value)


@register.filter
def band(value: str) -> str:
    """A score band slug in words: "moderately-severe" → "Moderately severe" (the builtin
    `band_label` says the same; kept for templates that load this library)."""
    return band_label(value)


@register.simple_tag(takes_context=True)
def chart_section(context: template.Context, section: Section, patient: Patient) -> SafeString:
    """A section another app adds to the chart (chart.Section), rendered as an inclusion
    tag would: its template sees only what its `context` gives it, and the page's CSRF
    token (for a form in the section: `{% csrf_token %}`)."""
    viewer = getattr(context.get("request"), "user", None)
    assert context.template is not None  # rendered from a template, as every tag is
    shown = context.template.engine.get_template(section.template)
    given = section.context(patient, viewer) | {"csrf_token": context.get("csrf_token")}
    return shown.render(context.new(given))
