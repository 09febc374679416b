"""Benchmarks are test_*.py or bench_*.py files (bench/ is outside the suite's testpaths).

`make bench` runs every module in one process against one test database. Each module
makes its own data once (a module-scoped fixture) and must leave nothing behind: the
modules make the same locations ("boston"), usernames and patients. The `module_db` fixture
opens a transaction around a module's data and rolls it back after the module's last
benchmark; a module that cannot stay inside one (PostgreSQL's VACUUM cannot) deletes
what it made itself, in a `finally`.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Module | None:
    # A file named on the command line is collected by pytest itself.
    if parent.session.isinitpath(file_path):
        return None
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@pytest.fixture(scope="module")
def module_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Database access for a module's data fixture (which asks for this one first),
    inside a transaction rolled back after the module's last benchmark. Each
    benchmark's own django_db transaction, and each round's, nest inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
