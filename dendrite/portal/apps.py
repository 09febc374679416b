from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "dendrite.portal"
    verbose_name = "Patient portal"

    def ready(self) -> None:
        from dendrite.context_processors import add_figure
        from dendrite.patients.chart import add_section

        from .chart import SECTION
        from .header import FIGURES

        add_section(SECTION)
        for figure in FIGURES:
            add_figure(figure)
