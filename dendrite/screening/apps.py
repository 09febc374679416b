from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "dendrite.screening"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the start-up check)
