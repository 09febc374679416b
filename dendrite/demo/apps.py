from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "dendrite.demo"
    verbose_name = "Demo data"
