from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "dendrite.portal"
    verbose_name = "Patient portal"

    def ready(self) -> None:
        from dendrite.patients.chart import add_section

        from .chart import SECTION

        add_section(SECTION)
