from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "dendrite.instruments"
    verbose_name = "Questionnaires"
