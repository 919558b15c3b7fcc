"""The export registry (issue 10, STYLE.md 19): an Excel export is declared once, by the app that owns
its rows, in its AppConfig.ready():

    register(ExportKind(
        name="complaints.work_log",
        title=gettext_noop("Work information log"),
        params=selectors.Filters,
        rows=lambda f, user: selectors.work_log(user, f),
        build=build_work_log,
    ))

- `params` is the flat dataclass of the validated filter (ints, strings, booleans, dates, None); a
  background job stores it as JSON (`dump`) and the builder gets it back (`load`);
- `rows(params, user)` answers the export's rows as a queryset, in the user's office scope: it decides
  inline or background (counted with a cap, never the whole scope);
- `build(params, user)` answers the workbook and its file name, running the same scoped selector as
  the page, so a background build holds exactly what the page listed for that user.

exports.views.xlsx_export is the one helper every Excel view goes through.
"""

from __future__ import annotations

import dataclasses
import datetime
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook


@dataclass(frozen=True)
class Built:
    workbook: Workbook
    filename: str


@dataclass(frozen=True)
class ExportKind:
    name: str  # "app.what", at most 60 characters
    title: str  # an untranslated msgid (gettext_noop): rendered in each reader's language
    params: type  # a flat dataclass
    rows: Callable[[Any, Any], QuerySet]
    build: Callable[[Any, Any], Built]


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> None:
    """Register (or replace: ready() may run twice) an export kind."""
    if not kind.name or len(kind.name) > 60:
        raise ValueError(f"an export name has 1 to 60 characters: {kind.name!r}")
    if not dataclasses.is_dataclass(kind.params):
        raise TypeError(f"{kind.name}: params must be a dataclass")
    _KINDS[kind.name] = kind


def kind_for(name: str) -> ExportKind:
    """The registered kind; KeyError for a name no app registers (a job of a removed export)."""
    return _KINDS[name]


def registered() -> dict[str, ExportKind]:
    return dict(_KINDS)


# ---------------------------------------------------------------------------------------------
# Parameters as JSON


def dump(params: Any) -> dict[str, Any]:
    """A params dataclass as a JSON-able dict (dates as ISO strings)."""
    data: dict[str, Any] = {}
    for field in dataclasses.fields(params):
        value = getattr(params, field.name)
        if isinstance(value, datetime.datetime):
            raise TypeError(f"{field.name}: export parameters hold dates, not datetimes")
        data[field.name] = value.isoformat() if isinstance(value, datetime.date) else value
    return data


def load(cls: type, data: dict[str, Any]) -> Any:
    """The params dataclass back from `dump`'s dict. Unknown keys are dropped and missing ones take
    their defaults, so a job stored before a filter changed still builds."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name not in data:
            continue
        value = data[field.name]
        if isinstance(value, str) and value and _is_date(hints.get(field.name)):
            value = datetime.date.fromisoformat(value)
        values[field.name] = value
    return cls(**values)


def _is_date(hint: Any) -> bool:
    if hint is datetime.date:
        return True
    return datetime.date in typing.get_args(hint)
