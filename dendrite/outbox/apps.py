from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "dendrite.outbox"
    verbose_name = "Outgoing e-mail"
