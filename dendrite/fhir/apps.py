from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "dendrite.fhir"
    label = "fhir"
    verbose_name = "FHIR API"

    def ready(self) -> None:
        from dendrite.patients.chart import add_section

        from .disclosures import SECTION

        add_section(SECTION)
