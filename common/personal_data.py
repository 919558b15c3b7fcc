"""A resident's personal data across the apps (PIPL, issue 9): export on request, erase on request.

The resident lives in `estates`, but what they said lives in the process apps, which `estates` may not
import. Each app that keeps a resident's personal data registers a provider here in its
AppConfig.ready(); estates' admin actions ask every provider:

    register(PersonalDataProvider(key="complaints", label=_("Complaints"), columns=[...],
                                  export=rows_of_resident, erase=anonymise_resident))

- `export(resident)` answers the rows of one sheet (cells in `columns`' order);
- `erase(resident)` anonymises the resident's personal fields in that app's records, keeps every figure
  (dates, class, state, counts), and answers how many records it changed. It runs inside the caller's
  transaction, before the resident's own record is anonymised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .xlsx import Column


@dataclass(frozen=True)
class PersonalDataProvider:
    key: str
    label: Any  # a lazy translation
    columns: Sequence[Column]
    export: Callable[[Any], list[list[Any]]]
    erase: Callable[[Any], int]


_PROVIDERS: dict[str, PersonalDataProvider] = {}


def register(provider: PersonalDataProvider) -> None:
    """Register (or replace: ready() may run twice) an app's provider."""
    _PROVIDERS[provider.key] = provider


def providers() -> list[PersonalDataProvider]:
    return list(_PROVIDERS.values())


def records_of(model, resident) -> QuerySet:
    """`model`'s records of a resident: linked to them, or logged with their phone as the contact (a
    complaint and a register entry keep both a `resident` link and a `contact_phone`)."""
    where = Q(resident=resident)
    if resident.phone:
        where |= Q(contact_phone=resident.phone)
    return model.objects.filter(where)


def redact_notes(events: QuerySet, redact: Callable[[str], str]) -> None:
    """Redact the `note` of each of `events` (timeline lines), writing only the notes that change."""
    for pk, note in events.exclude(note="").values_list("pk", "note"):
        redacted = redact(note)
        if redacted != note:
            events.model.objects.filter(pk=pk).update(note=redacted)
