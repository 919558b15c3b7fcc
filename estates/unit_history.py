"""A unit's history across the apps (issue 9: "the unit page shows the unit's past complaints").

The unit lives in `estates`, but what its residents reported lives in the process apps, which `estates`
may not import (.importlinter). Each app that keeps records naming a unit registers a provider here in
its AppConfig.ready(); the unit page asks every provider the reader may use for one section:

    register(UnitHistoryProvider(key="complaints", title=_("Complaints"), order=10,
                                 permission="complaints.view_complaint", rows=unit_complaints,
                                 see_all=lambda unit: f"{reverse('complaints:list')}?unit={unit.pk}"))

- `rows(user, unit, limit)` answers at most `limit` rows, newest first, of the records naming `unit`
  inside the user's offices, in one query (the page's query count stays fixed whatever the history);
- `see_all(unit)` is the address of the app's own list filtered by the unit (None: no such list).

The unit page is inside the office, so a row may name the resident; a phone is masked
(estates.selectors.mask_phone) as everywhere outside the record itself (STYLE.md 17).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# How many rows each section shows; "see all" opens the app's list for the rest.
SECTION_ROWS = 10


@dataclass(frozen=True)
class HistoryRow:
    number: str
    at: datetime.datetime
    what: str  # the category or kind, in the reader's language
    state: str  # in the reader's language
    url: str
    who: str = ""
    phone: str = ""  # masked by the provider


@dataclass(frozen=True)
class UnitHistoryProvider:
    key: str
    title: Any  # a lazy translation
    order: int
    permission: str
    rows: Callable[[Any, Any, int], list[HistoryRow]]
    see_all: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class HistorySection:
    key: str
    title: Any
    rows: list[HistoryRow]
    more: bool  # more rows than shown: the "see all" link says so
    see_all: str | None


_PROVIDERS: dict[str, UnitHistoryProvider] = {}


def register(provider: UnitHistoryProvider) -> None:
    """Register (or replace: ready() may run twice) an app's provider."""
    _PROVIDERS[provider.key] = provider


def providers() -> list[UnitHistoryProvider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.key))


def sections(user: Any, unit: Any, limit: int = SECTION_ROWS) -> list[HistorySection]:
    """One section per provider the user may read (one query each), rows newest first."""
    result = []
    for provider in providers():
        if not user.has_perm(provider.permission):
            continue
        rows = provider.rows(user, unit, limit + 1)
        result.append(
            HistorySection(
                key=provider.key,
                title=provider.title,
                rows=rows[:limit],
                more=len(rows) > limit,
                see_all=provider.see_all(unit) if provider.see_all else None,
            )
        )
    return result
