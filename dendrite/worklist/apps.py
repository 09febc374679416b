from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "dendrite.worklist"
    verbose_name = "Staff tasks"

    def ready(self) -> None:
        from dendrite.patients.chart import add_section

        from .chart import SECTION

        add_section(SECTION)
