from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "dendrite.leads"
    verbose_name = "Leads"

    def ready(self) -> None:
        from dendrite.context_processors import add_figure

        from .header import FIGURES

        for figure in FIGURES:
            add_figure(figure)
