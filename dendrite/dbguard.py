"""Database triggers that guard a table from programs other than Dendrite: one shape for
every app that keeps rows as written (the audit trail, the ketamine log, signed notes).

An app describes its triggers once as a `Guard` (the SQL that installs and removes them
on PostgreSQL and on SQLite); its migration and the test suite call `install` and
`remove`. The statements are idempotent, so the test suite can lift a guard before it
empties the tables after a live-server test and put it back.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.utils import CursorWrapper

Executor = BaseDatabaseSchemaEditor | CursorWrapper


@dataclass(frozen=True)
class Guard:
    postgres_up: str
    postgres_down: str
    sqlite_up: Sequence[str]
    sqlite_down: Sequence[str]

    def statements(self, vendor: str, *, up: bool) -> list[str]:
        if vendor == "postgresql":
            return [self.postgres_up if up else self.postgres_down]
        if vendor == "sqlite":
            return list(self.sqlite_up if up else self.sqlite_down)
        return []

    def install(self, executor: Executor, vendor: str) -> None:
        for sql in self.statements(vendor, up=True):
            executor.execute(sql)

    def remove(self, executor: Executor, vendor: str) -> None:
        for sql in self.statements(vendor, up=False):
            executor.execute(sql)
