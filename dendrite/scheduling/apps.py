from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "dendrite.scheduling"
    verbose_name = "Scheduling"
