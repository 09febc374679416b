from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "dendrite.ops"
    verbose_name = "Operations"
