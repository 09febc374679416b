from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "dendrite.patients"
    verbose_name = "Patients"
