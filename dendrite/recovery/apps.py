from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "dendrite.recovery"
    verbose_name = "Recovery"

    def ready(self) -> None:
        from dendrite.patients.chart import add_section

        from .chart import SECTION

        add_section(SECTION)
