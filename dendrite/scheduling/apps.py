from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "dendrite.scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from dendrite.patients.chart import add_section

        from .chart import SECTION

        add_section(SECTION)
