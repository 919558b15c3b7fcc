"""Fast row writers for the scale seed: rows go in as tuples in a model's concrete field order, with
ids given here (so foreign keys need no read back). PostgreSQL: COPY FROM STDIN in chunks; SQLite:
executemany. Afterwards `reset_sequences` moves PostgreSQL's id sequences past the rows written."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, models

CHUNK = 50_000


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
        self.defaults = [f.get_default() if f.has_default() else (None if f.null else "") for f in self.fields]

    def row(self, **values: Any) -> list[Any]:
        out = list(self.defaults)
        for key, value in values.items():
            out[self.index[key]] = value
        return out


def _text(value: Any) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dict, list, tuple)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (datetime.datetime, datetime.date)):
        value = value.isoformat()
    elif isinstance(value, (int, float, Decimal)):
        return str(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _sqlite_value(value: Any) -> Any:
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
    count = 0
    cols = ", ".join(connection.ops.quote_name(c) for c in template.columns)
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            count += len(chunk)
            if connection.vendor == "postgresql":
                buffer = io.StringIO("".join("\t".join(_text(v) for v in row) + "\n" for row in chunk))
                cursor.cursor.copy_expert(f"COPY {template.table} ({cols}) FROM STDIN", buffer)
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
