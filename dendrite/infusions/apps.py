from django.apps import AppConfig


class InfusionsConfig(AppConfig):
    name = "dendrite.infusions"
    verbose_name = "Infusions"

    def ready(self) -> None:
        from dendrite.notes.models import NoteKind
        from dendrite.notes.sources import add_record_source

        from .note import record

        add_record_source(NoteKind.INFUSION, record)
