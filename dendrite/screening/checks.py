"""Start-up check: a clinic's triage rules file must load, or nobody gets a result."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from .triage import RulesError, load_rules


@register()
def triage_rules_load(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        load_rules(settings.SCREENING_TRIAGE_RULES)
    except RulesError as error:
        return [
            Error(
                str(error),
                hint="Fix the file or point DENDRITE_SCREENING_TRIAGE_RULES at a valid one.",
                id="screening.E001",
            )
        ]
    return []
