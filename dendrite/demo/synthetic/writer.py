"""Writing many rows fast: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in the order of `Table.columns`, values as Python objects (a dict or
list for a JSON column). Primary keys are handed out here before the rows are written
(`Table.next_ids`), so a row can name its parent without asking the database; the
sequences are set past them at the end (`reset_sequences`). Nothing here calls `save()`:
no signal, no audit entry, no `auto_now` (every value is given).
"""

import json
import time
from collections.abc import Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

Row = tuple[Any, ...]
REQUIRED = object()  # a column without a plain default


def _default(field: models.Field[Any, Any]) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return REQUIRED
    if field.has_default():
        if callable(field.default) and field.default not in (list, dict):
            return REQUIRED
        return field.get_default()
    if field.null:
        return None
    if field.empty_strings_allowed and field.blank:
        return ""
    return REQUIRED


class Table:
    """One model's rows waiting to be written, and the next free primary key."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.attname for f in self.fields]
        self.defaults = {f.attname: _default(f) for f in self.fields}
        self.json = [isinstance(f, models.JSONField) for f in self.fields]
        self.rows: list[Row] = []
        self.written = 0
        self.seconds = 0.0  # spent writing
        pk = model._meta.pk
        self.has_id = pk is not None and pk.attname == "id"
        self.next_id = max_id(model) + 1 if self.has_id else 0

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, **values: Any) -> None:
        """One row; a column not given takes the field's plain default (a column without
        one, or whose default is a moment or a random value, must be given)."""
        defaults = self.defaults
        if self.has_id and "id" not in values:
            values["id"] = self.take_id()
        try:
            row = tuple(values[c] if c in values else defaults[c] for c in self.columns)
        except KeyError as missing:
            raise KeyError(f"{self.model.__name__}.{missing.args[0]} must be given") from None
        if REQUIRED in row:
            column = self.columns[row.index(REQUIRED)]
            raise KeyError(f"{self.model.__name__}.{column} must be given")
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        started = time.monotonic()
        if connection.vendor == "postgresql":
            self._copy()
        else:
            self._insert()
        self.written += len(self.rows)
        self.rows = []
        self.seconds += time.monotonic() - started

    def _copy(self) -> None:
        table = connection.ops.quote_name(str(self.model._meta.db_table))
        names = ", ".join(connection.ops.quote_name(str(f.column)) for f in self.fields)
        json_at = [i for i, is_json in enumerate(self.json) if is_json]
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in self.rows:
                    if json_at:
                        values = list(row)
                        for i in json_at:
                            values[i] = json.dumps(values[i])
                        row = tuple(values)
                    copy.write_row(row)

    def _insert(self) -> None:
        table = connection.ops.quote_name(str(self.model._meta.db_table))
        names = ", ".join(connection.ops.quote_name(str(f.column)) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        prepare = [f.get_db_prep_save for f in self.fields]
        rows = [
            [p(v, connection) if v is not None else None for p, v in zip(prepare, row, strict=True)]
            for row in self.rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def max_id(model: type[models.Model]) -> int:
    table = connection.ops.quote_name(str(model._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (a model's table)
        return int(cursor.fetchone()[0])


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """Move each table's id sequence past the ids written here (PostgreSQL; SQLite's
    AUTOINCREMENT follows explicit ids by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
