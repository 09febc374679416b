from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dendrite.audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (auth events are audited from day one)
