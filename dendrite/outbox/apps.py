from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "dendrite.outbox"
    verbose_name = "Outgoing e-mail"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (the text-message provider's checks)
