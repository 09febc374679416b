from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dendrite.audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (the deploy check; auth events audited)
