"""Audit codes in words on every page (template builtins, settings.TEMPLATES):
{{ event.action|audit_action }} → Appointment: status changed,
{{ event.object_type|record_kind }} → Appointment."""

from django import template

from .. import labels

register = template.Library()

register.filter("audit_action", labels.action_label)
register.filter("record_kind", labels.record_label)
