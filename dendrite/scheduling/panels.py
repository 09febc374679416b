"""Panels that apps above scheduling add to an appointment's page (the visit's notes),
as patients.chart.Section does for the chart: scheduling imports none of those apps;
each adds its panel in its AppConfig.ready(), and the page shows it after the visit's
details, rendered from `template` with `context(appointment, viewer)` alone."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Appointment


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Appointment, Any], dict[str, Any] | None]  # None: not shown


PANELS: list[Panel] = []


def add_panel(panel: Panel) -> None:
    if panel not in PANELS:
        PANELS.append(panel)


def render_panels(appointment: Appointment, viewer: Any, request: Any = None) -> list[SafeString]:
    shown = []
    for panel in PANELS:
        context = panel.context(appointment, viewer)
        if context is not None:
            shown.append(render_to_string(panel.template, context, request=request))
    return shown
