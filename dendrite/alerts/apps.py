from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "dendrite.alerts"
    verbose_name = "Safety alerts"

    def ready(self) -> None:
        from dendrite.context_processors import add_figure

        from .header import FIGURES

        for figure in FIGURES:
            add_figure(figure)
