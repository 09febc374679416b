from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "dendrite.alerts"
    verbose_name = "Safety alerts"
