from django.apps import AppConfig


class InfusionsConfig(AppConfig):
    name = "dendrite.infusions"
    verbose_name = "Infusions"
