from django.apps import AppConfig


class InfusionsConfig(AppConfig):
    name = "dendrite.infusions"
    verbose_name = "Infusions"

    def ready(self) -> None:
        from dendrite.context_processors import add_figure
        from dendrite.notes.models import NoteKind
        from dendrite.notes.sources import add_record_source
        from dendrite.scheduling.chairside import Chairside, register

        from .header import FIGURES
        from .models import Stage
        from .note import record

        add_record_source(NoteKind.INFUSION, record)

        # The schedule shows an infusion "In chair", "Recovering" or "Done" only once
        # the chairside record has got there (scheduling/chairside.py).
        started = frozenset({Stage.RUNNING, Stage.PAUSED, Stage.RECOVERING, Stage.READY})
        register(
            Chairside(
                url_name="infusions:chairside",
                related_name="infusion",
                stages={
                    "in_chair": started,
                    "recovering": frozenset({Stage.RECOVERING, Stage.READY}),
                    "done": frozenset({Stage.READY, Stage.NOT_GIVEN}),
                },
            )
        )
        for figure in FIGURES:
            add_figure(figure)
