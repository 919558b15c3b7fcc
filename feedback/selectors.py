"""Reads of the feedback app, every one scoped to the user's offices (estates.scoping).

The register list pages by keyset on (received_at, id), newest first: a page costs the rows it shows
whatever page it is, and nothing counts the whole scope per request (DESIGN.md "Scale"). Text search
looks in Entry.search_text (what was said and its two-character Chinese words, complaints.search), served
on PostgreSQL by the trigram index of migration 0004.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from complaints.search import search_pattern
from estates.models import Department, User
from estates.scoping import get_for_user, office_ids_for, scoped

from .models import Category, CorrectiveAction, Entry, EntryEvent, MonthlyArchive, Outreach
from .rules import DEFAULT_CATEGORIES, OPEN_STATES, SHANGHAI, local_midnight

PAGE_SIZE = 25

_LIST_RELATED = (
    "office",
    "category",
    "state_label",
    "unit__building__community",
    "resident",
    "received_by",
    "department",
    "assignee",
    "complaint",
)


# The register page joins only what a row shows and fetches the rest by id (issue 10): with all nine
# relations above joined PostgreSQL spent 55–66 ms planning the page's query and 3 ms running it (2M
# entries, EXPLAIN ANALYZE); with the unit's three and the category joined, 1.2 ms planning, and the
# row's resident, state label and complaint are three lookups by primary key of at most 25 ids.
_PAGE_JOINED = ("category", "unit__building__community")
_PAGE_PREFETCHED = ("resident", "state_label", "complaint")


def entries_for(user: User) -> QuerySet[Entry]:
    return scoped(Entry.objects.all(), user)


def entry_for_user(user: User, pk: Any) -> Entry:
    """One entry inside the user's offices, or Http404."""
    return get_for_user(Entry.objects.select_related(*_LIST_RELATED, "outreach"), user, pk=pk)


def entry_events(entry: Entry) -> QuerySet[EntryEvent]:
    return entry.events.select_related("actor").order_by("at", "pk")


@dataclass(frozen=True)
class Filters:
    office: int | None = None
    channel: str = ""
    kind: str = ""
    category: str = ""
    state: str = ""
    open_only: bool = False
    overdue: bool = False
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""
    unit: int | None = None  # issue 9: "see all" from the unit page


def filtered(user: User, f: Filters, now: datetime.datetime | None = None) -> QuerySet[Entry]:
    qs = entries_for(user)
    if f.office:
        qs = qs.filter(office_id=f.office)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if f.overdue:
        qs = qs.filter(state__in=OPEN_STATES, due_at__lte=now or timezone.now())
    if f.date_from:
        qs = qs.filter(received_at__gte=local_midnight(f.date_from))
    if f.date_to:
        qs = qs.filter(received_at__lt=local_midnight(f.date_to + datetime.timedelta(days=1)))
    if f.text:
        text = f.text.strip()
        pattern = search_pattern(text)
        # One column with a trigram index on PostgreSQL, two-character Chinese words included (Entry.search_text).
        condition = Q(search_text__contains=pattern[1]) if pattern else Q()
        if text.upper().startswith("YJ") and text[2:].isdigit():
            condition |= Q(pk=int(text[2:]))
        elif text.isdigit() and len(text) >= 7:
            condition |= Q(contact_phone=text)
        qs = qs.filter(condition)
    return qs


def encode_cursor(entry: Entry) -> str:
    return f"{entry.received_at.timestamp():.6f}_{entry.pk}"


def decode_cursor(value: str) -> tuple[datetime.datetime, int] | None:
    try:
        stamp, pk = value.split("_", 1)
        return datetime.datetime.fromtimestamp(float(stamp), tz=datetime.UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


@dataclass
class Page:
    rows: list[Entry]
    next_cursor: str | None


def register_page(user: User, f: Filters, after: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of the register, newest first, after the keyset `after` (empty: the first page).
    One query for the rows (what a row shows joined in) and at most three lookups by id for their
    residents, state labels and complaints; none to count."""
    qs = (
        filtered(user, f)
        .select_related(*_PAGE_JOINED)
        .prefetch_related(*_PAGE_PREFETCHED)
        .order_by("-received_at", "-pk")
    )
    cursor = decode_cursor(after) if after else None
    if cursor is not None:
        at, pk = cursor
        qs = qs.filter(Q(received_at__lt=at) | Q(received_at=at, pk__lt=pk))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_cursor=encode_cursor(rows[-1]) if more and rows else None)


def export_rows(user: User, f: Filters, limit: int) -> QuerySet[Entry]:
    """The register for the Excel export and the print view, oldest first like the paper book."""
    return filtered(user, f).select_related(*_LIST_RELATED).order_by("received_at", "pk")[:limit]


def departments_for(user: User) -> QuerySet[Department]:
    ids = office_ids_for(user)
    return Department.objects.filter(
        Q(office_id__in=ids) | Q(office__isnull=True, company_id=user.company_id)
    ).order_by("office__name", "name")


def staff_for(user: User) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, offices__in=office_ids_for(user))
        .distinct()
        .order_by("display_name", "username")
    )


def category_choices_for(company_id: int | None) -> list[tuple[str, str]]:
    rows = list(Category.objects.filter(company_id=company_id, active=True).order_by("order", "pk"))
    if rows:
        return [(c.code, c.label) for c in rows]
    return [(code, str(label)) for code, label, _hours in DEFAULT_CATEGORIES]


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(SHANGHAI).date()


# ---------------------------------------------------------------------------------------------
# Outreach (F3), archives and actions (F2)


def outreach_for(user: User) -> QuerySet[Outreach]:
    return scoped(Outreach.objects.select_related("office", "community", "unit__building__community"), user)


def outreach_for_user(user: User, pk: Any) -> Outreach:
    return get_for_user(outreach_for(user), user, pk=pk)


def archives_for(user: User) -> QuerySet[MonthlyArchive]:
    return scoped(MonthlyArchive.objects.select_related("office", "approved_by"), user).order_by(
        "-month", "office__name"
    )


def archive_for_user(user: User, pk: Any) -> MonthlyArchive:
    return get_for_user(archives_for(user), user, pk=pk)


def actions_for(user: User) -> QuerySet[CorrectiveAction]:
    return scoped(
        CorrectiveAction.objects.select_related("office", "owner", "department", "archive", "verified_by"), user
    )


def action_for_user(user: User, pk: Any) -> CorrectiveAction:
    return get_for_user(actions_for(user), user, pk=pk)


def open_entries(user: User, ids: list[int]) -> QuerySet[Entry]:
    """The archive's "items still open", rendered live through the reader's scope."""
    return entries_for(user).filter(pk__in=ids).select_related(*_LIST_RELATED).order_by("received_at", "pk")


def received_today_by(user: User, now: datetime.datetime | None = None) -> QuerySet[Entry]:
    """The register entries `user` received today — the office's day, Asia/Shanghai — in their
    offices, newest first, without the complaints' own F1 entries (the complaint is listed itself):
    the front desk's "what I logged today" on the dashboard (slice it)."""
    start = local_midnight(local_day(now or timezone.now()))
    return (
        entries_for(user)
        .filter(
            received_by=user,
            received_at__gte=start,
            received_at__lt=start + datetime.timedelta(days=1),
            complaint__isnull=True,
        )
        .select_related("unit__building__community")
        .order_by("-received_at", "-pk")
    )
