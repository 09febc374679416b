from django import template
from django.utils.safestring import SafeString

from dendrite.clinics.phones import for_display

from ..chart import Section
from ..models import Patient

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """An E.164 number the usual way: (617) 555-0142 (also `{% load phones %}`)."""
    return for_display(value)


@register.filter
def band(value: str) -> str:
    """A score band slug in words: "moderately-severe" → "moderately severe"."""
    return value.replace("-", " ")


@register.simple_tag(takes_context=True)
def chart_section(context: template.Context, section: Section, patient: Patient) -> SafeString:
    """A section another app adds to the chart (chart.Section), rendered as an inclusion
    tag would: its template sees only what its `context` gives it."""
    viewer = getattr(context.get("request"), "user", None)
    assert context.template is not None  # rendered from a template, as every tag is
    shown = context.template.engine.get_template(section.template)
    return shown.render(context.new(section.context(patient, viewer)))
