from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "dendrite.clinics"
    verbose_name = "Clinics"
