from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "dendrite.fhir"
    label = "fhir"
    verbose_name = "FHIR API"
