from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "dendrite.notes"
    verbose_name = "Clinical notes"

    def ready(self) -> None:
        from dendrite.patients.chart import add_section
        from dendrite.scheduling.panels import add_panel

        from .chart import PANEL, SECTION

        add_section(SECTION)
        add_panel(PANEL)
