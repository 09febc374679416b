"""Every dashboard test runs twice: with the figures computed live from the records, and
read from the summaries (a refresh runs just before the page picks its source)."""

from collections.abc import Iterator
from typing import Any

import pytest

from dendrite.dashboard import actions, summaries


class Source:
    def __init__(self, name: str) -> None:
        self.name = name
        self.auto = name == "summaries"  # refresh whenever a page picks its source

    def refresh(self) -> None:
        """Refresh now (query-count tests refresh before counting, not inside)."""
        if self.name == "summaries":
            actions.refresh_dashboards()


@pytest.fixture(params=["live", "summaries"], autouse=True)
def source(request: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Source]:
    found = Source(request.param)
    if found.name == "summaries":
        original = summaries.source

        def refreshed_first(scope: Any) -> summaries.Live:
            if found.auto:
                actions.refresh_dashboards()
            return original(scope)

        monkeypatch.setattr(summaries, "source", refreshed_first)
    yield found
