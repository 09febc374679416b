from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "dendrite.outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from dendrite.patients.chart import add_section

        from .chart import SECTION

        add_section(SECTION)
