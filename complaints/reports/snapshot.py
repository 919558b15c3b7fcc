"""The schema of the C14/C15 snapshots: typed, versioned, and the only code that reads or writes the
JSON stored in MonthlySummary.data and QuarterlyAnalysis.data.

A snapshot freezes the figures when a summary is approved (C14) or an analysis published (C15), so it
is stored, not recomputed. Views, templates and workbooks read these dataclasses, never the dicts.
`version` is written into the JSON; rows stored before it existed are version 1 (the same shape).
A change of shape bumps SNAPSHOT_VERSION and teaches `from_json` to read the older versions.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar, Union

from . import labels

# 2: C14 rows hold figures and the complaint id only (issue 9, PIPL): no office, unit, name, phone
# or content is stored; pages render those live through the reader's office scope (presenters).
# 3: C15 repeat complaints by unit hold the unit's and office's ids and the count, not the unit label
# (STYLE.md 17); the label is rendered live for a reader of the unit's office (presenters.live_repeats).
# Migration 0013 turned the stored labels into ids; a label read from an older snapshot is dropped.
SNAPSHOT_VERSION = 3

T = TypeVar("T")


class SnapshotVersionError(ValueError):
    """A snapshot written by a newer version of the product than this one."""


def _json_name(f: dataclasses.Field) -> str:
    return f.metadata.get("json", f.name)


def _dump(value: Any) -> Any:
    if isinstance(value, Group):
        return [value.key, value.count]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {_json_name(f): _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime.date):  # datetime included
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_dump(v) for v in value]
    return value


def _load_value(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _load_value(options[0], raw) if len(options) == 1 else raw
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(hint)
        return tuple(_load_value(item, v) for v in raw)
    if hint is Group:
        key, count = raw
        return Group(key=key, count=count)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _load(hint, raw)
    if hint is datetime.datetime:
        return datetime.datetime.fromisoformat(raw)
    if hint is datetime.date:
        return datetime.date.fromisoformat(raw)
    return raw


@functools.cache
def _schema(cls: type) -> tuple[tuple[str, str, Any], ...]:
    """(attribute, JSON name, type hint) of a snapshot class's fields, resolved once per class (issue 10:
    resolving the hints per row was most of the time a C14 page of 1,100 rows spent reading them)."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _json_name(f), hints[f.name]) for f in dataclasses.fields(cls))


def _load(cls: type[T], data: dict) -> T:
    kwargs = {}
    for attr, name, hint in _schema(cls):
        if name in data:
            kwargs[attr] = _load_value(hint, data[name])
    return cls(**kwargs)


class _Snapshot:
    """to_json/from_json of a top-level snapshot, with its version."""

    version: int

    def to_json(self) -> dict[str, Any]:
        return _dump(self)

    @classmethod
    def from_json(cls: type[T], data: dict | None) -> T:
        data = dict(data or {})
        version = data.setdefault("version", 1)
        if version > SNAPSHOT_VERSION:
            raise SnapshotVersionError(f"snapshot version {version}; this code reads up to {SNAPSHOT_VERSION}")
        # An older snapshot is read into the current shape (v1 rows lose their personal fields, v2
        # repeats their unit labels: migration 0013 turned the stored ones into ids).
        data["version"] = SNAPSHOT_VERSION
        return _load(cls, data)


# ---------------------------------------------------------------------------------------------
# Parts shared by both


@dataclass(frozen=True)
class Period:
    start: datetime.datetime
    end: datetime.datetime


@dataclass(frozen=True)
class Group:
    """One line of a GROUP BY: a key (class, channel, category or office name) and its count.
    Stored as [key, count]."""

    key: Any
    count: int


@dataclass(frozen=True)
class Compliance:
    """C3 first-response compliance: met on time, late, not yet due, no deadline; rate of the decided."""

    met: int = 0
    late: int = 0
    pending: int = 0
    none: int = 0
    rate: float | None = None


# ---------------------------------------------------------------------------------------------
# C14 monthly summary


@dataclass(frozen=True)
class MonthlyTotals:
    received: int = 0
    complaints: int = 0
    suggestions: int = 0
    effective: int = 0
    invalid: int = 0
    c9: int = 0
    carried_over: int = 0
    open_at_end: int = 0


@dataclass(frozen=True)
class MonthlyRow:
    """One complaint of the department's month: figures and the complaint's id only (STYLE.md 17).
    `on_time` is "yes", "no", "pending" or "". Reading a version-1 row drops its personal fields."""

    id: int
    number: str
    received_at: datetime.datetime
    kind: str = ""
    complaint_class: int | None = field(default=None, metadata={"json": "class"})
    category: str = ""
    channel: str = ""
    state: str = ""
    on_time: str = ""
    carried: bool = False
    open_at_end: bool = False
    c9: bool = False

    # Labels in the reader's language (the snapshot stores keys).
    @property
    def class_label(self) -> str:
        return labels.class_label(self.complaint_class)

    @property
    def category_label(self) -> str:
        return labels.category_label(self.category)

    @property
    def channel_label(self) -> str:
        return labels.channel_label(self.channel)

    @property
    def state_label(self) -> str:
        return labels.state_label(self.state)

    @property
    def on_time_label(self) -> str:
        return labels.on_time_label(self.on_time)


@dataclass(frozen=True)
class MonthlySnapshot(_Snapshot):
    period: Period | None = None
    computed_at: datetime.datetime | None = None
    totals: MonthlyTotals = field(default_factory=MonthlyTotals)
    by_class: tuple[Group, ...] = ()
    by_channel: tuple[Group, ...] = ()
    by_category: tuple[Group, ...] = ()
    by_office: tuple[Group, ...] = ()
    compliance: Compliance = field(default_factory=Compliance)
    rows: tuple[MonthlyRow, ...] = ()
    version: int = SNAPSHOT_VERSION


def monthly_row(raw: dict) -> MonthlyRow:
    """One stored C14 row (any version) as a MonthlyRow: a page converts only the rows it shows."""
    return _load(MonthlyRow, raw)


def monthly_row_key(raw: dict, name: str) -> Any:
    """A stored row's `received_at` (a moment) or `id`: the keys a C14 page is paged by."""
    return datetime.datetime.fromisoformat(raw[name]) if name == "received_at" else raw[name]


# ---------------------------------------------------------------------------------------------
# C15 quarterly analysis


@dataclass(frozen=True)
class TrendMonth:
    month: datetime.date
    total: int
    classes: tuple[int, ...]  # one count per ComplaintClass value, in order
    unclassified: int


@dataclass(frozen=True)
class ParetoItem:
    category: str
    count: int
    percent: float
    cumulative: float

    @property
    def label(self) -> str:
        return labels.category_label(self.category)


@dataclass(frozen=True)
class ResponseBucket:
    """Complaints first answered within `hours` (key "le<h>"), later ("over") or not yet ("none")."""

    key: str
    hours: int | None
    count: int

    @property
    def label(self) -> str:
        return labels.bucket_label(self.key, self.hours)


@dataclass(frozen=True)
class RepeatUnit:
    """A unit with two or more complaints in the quarter: ids and the count (v3). `unit_id` is None
    for a version-2 row whose label named no unit still on record (migration 0013)."""

    unit_id: int | None = None
    office_id: int | None = None
    count: int = 0


@dataclass(frozen=True)
class OfficeFigures:
    office: str
    total: int
    effective: int
    c9: int


@dataclass(frozen=True)
class DepartmentFigures:
    department: str
    office: str
    total: int


@dataclass(frozen=True)
class PublicationRef:
    number: str
    title: str
    published_at: datetime.datetime


@dataclass(frozen=True)
class QuarterlySnapshot(_Snapshot):
    period: Period | None = None
    computed_at: datetime.datetime | None = None
    total: int = 0
    effective: int = 0
    by_class: tuple[Group, ...] = ()
    by_channel: tuple[Group, ...] = ()
    trend: tuple[TrendMonth, ...] = ()
    pareto: tuple[ParetoItem, ...] = ()
    response_times: tuple[ResponseBucket, ...] = ()
    repeats: tuple[RepeatUnit, ...] = ()
    by_office: tuple[OfficeFigures, ...] = ()
    by_department: tuple[DepartmentFigures, ...] = ()
    compliance: Compliance = field(default_factory=Compliance)
    publications: tuple[PublicationRef, ...] = ()
    version: int = SNAPSHOT_VERSION
