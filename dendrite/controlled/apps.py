from django.apps import AppConfig


class ControlledConfig(AppConfig):
    name = "dendrite.controlled"
    verbose_name = "Controlled-substance log"
