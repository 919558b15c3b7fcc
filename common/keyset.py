"""Keyset paging (DESIGN.md "Scale", STYLE.md 18): a page is the rows after the last row shown, in
a fixed order, so page 2000 costs what page 1 costs (OFFSET joins and annotates every skipped row),
and "next" is known by fetching one row more than the page, never by counting the whole scope.

    KEYS = (Key("received_at", desc=True), Key("id", desc=True))
    page = keyset_page(queryset, KEYS, request.GET.get("after"), size=25)
    page.object_list, page.has_next, page.next_cursor, page.is_first

The last key must be unique (the primary key). A nullable key sorts its nulls last. The cursor is
the last row's key values, JSON in URL-safe base64; a cursor that does not parse is the first page.

`keyset_slice` pages a list already in memory (a stored snapshot's rows) the same way, so that only
the page's rows are turned into objects, looked up and rendered.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.dateparse import parse_datetime


@dataclass(frozen=True)
class Key:
    field: str
    desc: bool = False
    nullable: bool = False

    def order(self) -> Any:
        if self.nullable:
            expr = F(self.field)
            return expr.desc(nulls_last=True) if self.desc else expr.asc(nulls_last=True)
        # A NOT NULL column is ordered plainly: "DESC NULLS LAST" would not match a DESC index.
        return f"-{self.field}" if self.desc else self.field


@dataclass
class KeysetPage:
    object_list: list
    has_next: bool
    next_cursor: str | None
    is_first: bool
    size: int = 0
    keys: tuple[Key, ...] = field(default=())

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __bool__(self) -> bool:
        return bool(self.object_list)


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            parsed = parse_datetime(str(value["t"]))
            if parsed is None or parsed.tzinfo is None:
                raise ValueError("bad moment")
            return parsed
        if "d" in value:
            return datetime.date.fromisoformat(str(value["d"]))
        raise ValueError("bad value")
    if value is None or isinstance(value, (int, str)) and not isinstance(value, bool):
        return value
    raise ValueError("bad value")


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, keys: tuple[Key, ...]) -> list[Any] | None:
    if not cursor or len(cursor) > 500:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = [_decode_value(v) for v in json.loads(raw)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    if len(values) != len(keys) or any(v is None and not k.nullable for k, v in zip(keys, values, strict=True)):
        return None
    return values


def _beyond(key: Key, value: Any) -> Q | None:
    """Rows strictly beyond `value` on this key alone (nulls last); None: nothing is."""
    if value is None:
        return None
    q = Q(**{f"{key.field}__{'lt' if key.desc else 'gt'}": value})
    if key.nullable:
        q |= Q(**{f"{key.field}__isnull": True})
    return q


def _same(key: Key, value: Any) -> Q:
    return Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})


def after(keys: tuple[Key, ...], values: list[Any]) -> Q:
    """The rows after `values` in the order of `keys`: k1 > v1 OR (k1 = v1 AND k2 > v2) OR …, plus the
    redundant bound k1 >= v1 the index can start from (the OR form alone is not an index condition)."""
    result: Q | None = None
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        beyond = _beyond(key, value)
        if beyond is not None:
            term = equal & beyond
            result = term if result is None else result | term
        equal &= _same(key, value)
    if result is None:
        return Q(pk__in=[])
    first, value = keys[0], values[0]
    if value is not None:
        bound = Q(**{f"{first.field}__{'lte' if first.desc else 'gte'}": value})
        if first.nullable:
            bound |= Q(**{f"{first.field}__isnull": True})
        result = bound & result
    return result


def keyset_page(qs: QuerySet, keys: tuple[Key, ...], cursor: str | None, *, size: int) -> KeysetPage:
    """One page of `qs` in the order of `keys`, after `cursor` (first page when None or unreadable).
    One query: size + 1 rows, the extra one only telling that there is a next page."""
    values = decode_cursor(cursor, keys)
    if values is not None:
        qs = qs.filter(after(keys, values))
    rows = list(qs.order_by(*(k.order() for k in keys))[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor([getattr(rows[-1], k.field) for k in keys]) if has_next else None
    return KeysetPage(
        object_list=rows, has_next=has_next, next_cursor=next_cursor, is_first=values is None, size=size, keys=keys
    )


def keyset_slice(
    items: Sequence[Any],
    keys: tuple[Key, ...],
    cursor: str | None,
    *,
    size: int,
    value: Callable[[Any, str], Any],
) -> KeysetPage:
    """One page of `items`, a sequence already sorted ascending by `keys` (not nullable), after
    `cursor`: a binary search for the cursor, then a slice. `value(item, field)` reads a key of an item;
    the page's object_list holds the items as they are (the caller converts only those)."""
    if any(k.desc or k.nullable for k in keys):
        raise ValueError("keyset_slice pages ascending, non-null keys only")
    values = decode_cursor(cursor, keys)

    def key_of(item: Any) -> tuple:
        return tuple(value(item, k.field) for k in keys)

    start = 0
    if values is not None:
        try:
            start = bisect_right(items, tuple(values), key=key_of)
        except TypeError:  # a cursor whose values do not compare with the keys (crafted): the first page
            values, start = None, 0
    rows = list(items[start : start + size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(list(key_of(rows[-1]))) if has_next else None
    return KeysetPage(
        object_list=rows, has_next=has_next, next_cursor=next_cursor, is_first=values is None, size=size, keys=keys
    )
