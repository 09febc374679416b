from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dendrite.dashboard"
    verbose_name = "Clinic dashboard"
