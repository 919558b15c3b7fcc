"""Fast row writers for the scale seed: rows go in as tuples in a model's concrete field order, with
ids given here (so foreign keys need no read back). PostgreSQL: COPY FROM STDIN in chunks; SQLite:
executemany. Afterwards `reset_sequences` moves PostgreSQL's id sequences past the rows written."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, models, transaction

CHUNK = 50_000


class RawJson(str):
    """A JSON column's value already written as JSON text (the writer passes it as it is)."""


class Template:
    """A model's concrete columns with their defaults: `row(**values)` gives one tuple."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.index = {}
        for i, f in enumerate(self.fields):
            self.index[f.attname] = i
            self.index[f.name] = i
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        self.nullable = ", ".join(connection.ops.quote_name(f.column) for f in self.fields if f.null)
        self.defaults = [f.get_default() if f.has_default() else (None if f.null else "") for f in self.fields]

    def row(self, **values: Any) -> list[Any]:
        out = list(self.defaults)
        for key, value in values.items():
            out[self.index[key]] = value
        return out


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, RawJson):
        return str(value)
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _chunks(rows: Iterable[list[Any]]) -> Iterator[list[list[Any]]]:
    chunk: list[list[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write(template: Template, rows: Iterable[list[Any]]) -> int:
    """Write the rows; returns how many."""
    began = time.monotonic()
    try:
        return _write(template, rows)
    finally:
        TIMES["copy"] += time.monotonic() - began


def _write(template: Template, rows: Iterable[list[Any]]) -> int:
    count = 0
    cols = ", ".join(connection.ops.quote_name(c) for c in template.columns)
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            count += len(chunk)
            if connection.vendor == "postgresql":
                # CSV through the csv module (C): every string quoted, numbers and booleans bare; a
                # quoted empty string in a nullable column is NULL (FORCE_NULL), as None is written "".
                buffer = io.StringIO()
                writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
                if template.json:
                    for row in chunk:
                        for i in template.json:
                            if not isinstance(row[i], RawJson):
                                row[i] = json.dumps(row[i], ensure_ascii=False)
                writer.writerows(chunk)
                buffer.seek(0)
                force_null = f", FORCE_NULL ({template.nullable})" if template.nullable else ""
                cursor.cursor.copy_expert(
                    f"COPY {template.table} ({cols}) FROM STDIN WITH (FORMAT csv{force_null})", buffer
                )
            else:
                marks = ", ".join(["%s"] * len(template.columns))
                cursor.executemany(
                    f"INSERT INTO {template.table} ({cols}) VALUES ({marks})",  # noqa: S608 - names from model meta
                    [[_sqlite_value(v) for v in row] for row in chunk],
                )
    return count


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequences(*model_list: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in model_list:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX({pk}) FROM {table}), 1))",  # noqa: S608
                [table, pk],
            )


# Memory for building the indexes after a load (sorts of a million rows, the trigram GIN index):
# PostgreSQL's default (64 MB) makes the GIN build flush to disk repeatedly. SEED_MAINTENANCE_WORK_MEM.
MAINTENANCE_WORK_MEM = os.environ.get("SEED_MAINTENANCE_WORK_MEM", "1GB")
TIMES: Counter[str] = Counter()  # seconds per phase ("copy", "index", "analyze"), reported by the stages


@contextlib.contextmanager
def bulk_load(*model_list: type[models.Model], log: Callable[[str], Any] | None = None) -> Iterator[None]:
    """PostgreSQL: drop the tables' plain (non-unique) indexes while rows are copied in and build them
    once afterwards — maintaining a trigram GIN index row by row is what makes a bulk load slow —,
    and skip the deferred foreign-key triggers when the role may (superuser; ids are ours). `log`
    hears what each index took to build."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in model_list]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = ANY(%s) AND NOT x.indisunique",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        replica = False
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET session_replication_role = replica")
            replica = True
        except DatabaseError:
            pass
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if replica:
                cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = %s", [MAINTENANCE_WORK_MEM])
            for name, definition in indexes:
                began = time.monotonic()
                cursor.execute(definition)
                took = time.monotonic() - began
                TIMES["index"] += took
                if log is not None and took >= 1:
                    log(f"  index {name}: {took:.1f} s")
            began = time.monotonic()
            for table in tables:
                cursor.execute(f'ANALYZE "{table}"')
            TIMES["analyze"] += time.monotonic() - began
