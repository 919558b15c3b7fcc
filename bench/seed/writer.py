"""Fast row writers for the scale seed: rows go in as tuples in a model's concrete field order, with
ids given here (so foreign keys need no read back). PostgreSQL: COPY FROM STDIN in chunks; SQLite:
executemany. Afterwards `reset_sequences` moves PostgreSQL's id sequences past the rows written."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
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
    """Write the rows; returns how many. On PostgreSQL the COPY itself runs on a writer thread while
    the caller makes the next rows (see `drain`)."""
    began = time.monotonic()
    try:
        return _write(template, rows)
    finally:
        TIMES["copy"] += time.monotonic() - began


# PostgreSQL: one thread sends the COPYs, in order, on the load's own connection, so making rows
# (Python) and storing them (the server) overlap on two cores. At most PENDING chunks wait. The
# stages run no other statement while a COPY may be under way: `drain` (next_id, reset_sequences
# and the index builds call it) waits for all of them first.
PENDING = 2
_queue: deque[Future] = deque()
_pool: ThreadPoolExecutor | None = None


def _send(sql: str, buffer: io.StringIO) -> None:
    global _pool  # noqa: PLW0603 - one writer thread for the process, made on first use
    if _pool is None:
        _pool = ThreadPoolExecutor(1, thread_name_prefix="seed-copy")
    raw = connection.connection  # the psycopg2 connection: Django's wrapper stays on this thread

    def copy() -> None:
        with raw.cursor() as cursor:
            cursor.copy_expert(sql, buffer)

    _queue.append(_pool.submit(copy))
    if len(_queue) > PENDING:
        _wait(_queue.popleft())


def _wait(future: Future) -> None:
    began = time.monotonic()
    try:
        future.result()
    finally:
        TIMES["copy wait"] += time.monotonic() - began


def drain(*, quiet: bool = False) -> None:
    """Wait until every chunk sent is stored (and raise its error). `quiet`: after a failure, only wait."""
    while _queue:
        future = _queue.popleft()
        try:
            _wait(future)
        except Exception:
            if not quiet:
                raise


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
                _send(f"COPY {template.table} ({cols}) FROM STDIN WITH (FORMAT csv{force_null})", buffer)
            else:
                marks = ", ".join(["%s"] * len(template.columns))
                cursor.executemany(
                    f"INSERT INTO {template.table} ({cols}) VALUES ({marks})",  # noqa: S608 - names from model meta
                    [[_sqlite_value(v) for v in row] for row in chunk],
                )
    return count


def next_id(model: type[models.Model]) -> int:
    drain()
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequences(*model_list: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return
    drain()
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
# Connections building the indexes at once after the rows are committed (SEED_INDEX_WORKERS).
INDEX_WORKERS = int(os.environ.get("SEED_INDEX_WORKERS", "2"))
TIMES: Counter[str] = Counter()  # seconds per phase ("copy", "index", "analyze"), reported by the command


@dataclass
class Deferred:
    """What `indexes_drop` took off the tables, for `indexes_build` to put back."""

    tables: list[str] = field(default_factory=list)
    # (table, name, SQL that re-creates it, gin?) in the order dropped
    indexes: list[tuple[str, str, str, bool]] = field(default_factory=list)
    replica: bool = False


def indexes_drop(model_list: Iterable[type[models.Model]]) -> Deferred:
    """PostgreSQL, in the load's transaction: drop the tables' indexes and unique constraints but
    the primary keys (maintaining a trigram GIN index or a random token's btree row by row is what
    makes a bulk load slow; the rows are ours and unique by construction, and the re-creation
    checks it), and skip the deferred foreign-key triggers when the role may (superuser; ids are
    ours). `indexes_build` puts everything back."""
    deferred = Deferred()
    if connection.vendor != "postgresql":
        return deferred
    deferred.tables = list(dict.fromkeys(m._meta.db_table for m in model_list))
    with connection.cursor() as cursor:
        # Unique constraints (not the primary key; none is referenced by a foreign key here).
        cursor.execute(
            "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = ANY(%s) AND c.contype = 'u'",
            [deferred.tables],
        )
        for table, name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            deferred.indexes.append((table, name, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}', False))
        # Plain and unique indexes that back no constraint.
        cursor.execute(
            "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = ANY(%s) AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
            [deferred.tables],
        )
        for table, name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            deferred.indexes.append((table, name, definition, " USING gin " in definition.lower()))
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET session_replication_role = replica")
            deferred.replica = True
        except DatabaseError:
            pass
    return deferred


def _build_one(sql: str) -> float:
    # A thread of its own: Django gives it its own connection, closed here.
    from django.db import connections

    conn = connections["default"]
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = %s", [MAINTENANCE_WORK_MEM])
            return _timed(cursor, sql)
    finally:
        conn.close()


def _timed(cursor, sql: str) -> float:
    began = time.monotonic()
    cursor.execute(sql)
    return time.monotonic() - began


def _run_all(statements: list[str], *, parallel: bool) -> list[float]:
    """Run the statements, each timed (seconds, in their order): on INDEX_WORKERS connections at once
    (`parallel`: the rows are committed), otherwise one by one on the load's connection."""
    if parallel and INDEX_WORKERS > 1:
        with ThreadPoolExecutor(INDEX_WORKERS) as pool:
            return list(pool.map(_build_one, statements))
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = %s", [MAINTENANCE_WORK_MEM])
        return [_timed(cursor, sql) for sql in statements]


def indexes_build(deferred: Deferred, *, parallel: bool, log: Callable[[str], Any] | None = None) -> None:
    """Put back what `indexes_drop` took and ANALYZE the tables. `parallel` (the rows committed):
    INDEX_WORKERS connections at once, the GIN builds (the longest) first; otherwise one by one on
    the load's connection (inside a test's transaction)."""
    if connection.vendor != "postgresql":
        return
    drain()
    with connection.cursor() as cursor:
        if deferred.replica:
            cursor.execute("SET session_replication_role = DEFAULT")
    # Longest first: GIN, then the indexes of the larger tables (by pages written).
    order = sorted(deferred.indexes, key=lambda item: (not item[3], -_pages(item[0])))
    began = time.monotonic()
    took = _run_all([sql for _table, _name, sql, _gin in order], parallel=parallel)
    TIMES["index"] += time.monotonic() - began
    if log is not None:
        for seconds, (_table, name, _sql, _gin) in sorted(zip(took, order, strict=True), key=lambda x: -x[0]):
            if seconds >= 1:
                log(f"  index {name}: {seconds:.1f} s")
    began = time.monotonic()
    _run_all([f'ANALYZE "{table}"' for table in deferred.tables], parallel=parallel)
    TIMES["analyze"] += time.monotonic() - began


def _pages(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size(%s)", [table])
        return cursor.fetchone()[0]
