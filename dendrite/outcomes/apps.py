from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "dendrite.outcomes"
    verbose_name = "Outcomes"
