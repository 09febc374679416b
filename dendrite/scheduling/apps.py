from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "dendrite.scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from dendrite.patients.actions import on_contact_change
        from dendrite.patients.chart import add_section

        from .chart import SECTION
        from .messaging import tell_former_addresses

        add_section(SECTION)
        on_contact_change(tell_former_addresses)
