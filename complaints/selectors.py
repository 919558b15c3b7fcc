"""Reads of the complaint procedure: querysets scoped to the user's offices, annotated in the
database so that a page of rows costs a fixed number of queries (DESIGN.md "Scale")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from clock.calendar import SHANGHAI
from clock.models import Deadline
from clock.selectors import subject_deadlines
from common.keyset import Key, KeysetPage, keyset_page
from estates.models import Department, User
from estates.scoping import get_for_user, office_ids_for, scoped

from .models import Attachment, Complaint, ComplaintEvent
from .rules import OPEN_STATES, State
from .search import search_pattern

# What a list row shows, joined in. No more: measured at 1M complaints, PostgreSQL spent 76–108 ms
# *planning* the list query with nine joined tables (department, its office, handler, receiver) and
# 2 ms running it; with these five, 1.7 ms planning (issue 10). Lists that show more prefetch it.
LIST_JOINS = ("office", "resident", "unit__building__community")


def _people_prefetch() -> tuple:
    """Who a row names beyond LIST_JOINS, one small query each (fixed count, trivial plans)."""
    return (
        Prefetch("department", queryset=Department.objects.select_related("office")),
        Prefetch("handler", queryset=User.objects.all()),
        Prefetch("received_by", queryset=User.objects.all()),
    )


# The list's sorts, each a keyset (common.keyset): the last key is the primary key.
_NEWEST = (Key("received_at", desc=True), Key("id", desc=True))
SORTS: dict[str, tuple[Key, ...]] = {
    "received": (Key("received_at"), Key("id")),
    "-received": _NEWEST,
    "number": (Key("number"), Key("id")),
    "-number": (Key("number", desc=True), Key("id", desc=True)),
    "state": (Key("state"), *_NEWEST),
    "class": (Key("complaint_class", nullable=True), *_NEWEST),
    "due": (Key("next_due_at", nullable=True), *_NEWEST),
}
DEFAULT_SORT = "-received"


def with_deadlines(qs: QuerySet[Complaint], now: datetime.datetime | None = None) -> QuerySet[Complaint]:
    """Annotate `overdue` and `next_due` from the complaint's own row (issue 10): `next_due_at` is
    kept by the clock's subject hook (complaints.hooks), and a live breached deadline is always due
    in the past, so "overdue" is `next_due_at <= now` — no read of the deadline table per row."""
    now = now or timezone.now()
    return qs.annotate(
        overdue=ExpressionWrapper(Q(next_due_at__lte=now), output_field=BooleanField()),
        next_due=F("next_due_at"),
    )


def complaints_for(user: User) -> QuerySet[Complaint]:
    return scoped(Complaint.objects.all(), user)


def complaint_for_user(user: User, pk: Any) -> Complaint:
    """The complaint, or Http404 outside the user's offices (STYLE.md 3)."""
    return get_for_user(
        Complaint.objects.select_related(
            "office",
            "resident",
            "unit__building__community",
            "received_by",
            "department__office",
            "handler",
            "return_visit_by",
        ),
        user,
        pk=pk,
    )


def attachment_for_user(user: User, complaint_pk: Any, pk: Any) -> Attachment:
    return get_for_user(Attachment.objects.select_related("complaint"), user, pk=pk, complaint_id=complaint_pk)


@dataclass
class Filters:
    office: int | None = None
    complaint_class: int | None = None
    state: str = ""
    overdue: bool = False
    channel: str = ""
    category: str = ""
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""
    sort: str = DEFAULT_SORT
    open_only: bool = False
    unit: int | None = None  # issue 9: "see all" from the unit page


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _office_and_period(user: User, f: Filters) -> QuerySet[Complaint]:
    """The user's complaints in the chosen office and received in the chosen days (Shanghai days)."""
    qs = complaints_for(user)
    if f.office:
        qs = qs.filter(office_id=f.office)
    if f.date_from:
        qs = qs.filter(received_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(received_at__lt=_day_start(f.date_to + datetime.timedelta(days=1)))
    return qs


def complaint_list(
    user: User, filters: Filters | None = None, now: datetime.datetime | None = None
) -> QuerySet[Complaint]:
    """The complaint list, filtered and sorted by whitelist, with what a row shows joined in."""
    f = filters or Filters()
    qs = _office_and_period(user, f)
    if f.complaint_class:
        qs = qs.filter(complaint_class=f.complaint_class)
    if f.state:
        qs = qs.filter(state=f.state)
    elif f.open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    pattern = search_pattern(f.text)
    if pattern is not None:
        # One column, a trigram index on PostgreSQL (complaints.search): number, what was said,
        # contact, unit and resident, written at intake and on change.
        qs = qs.filter(search_text__contains=pattern[1])
    now = now or timezone.now()
    if f.overdue:
        qs = qs.filter(next_due_at__lte=now)
    qs = with_deadlines(qs, now)
    return qs.select_related(*LIST_JOINS).order_by(*(k.order() for k in sort_keys(f.sort)))


def sort_keys(sort: str) -> tuple[Key, ...]:
    return SORTS.get(sort, SORTS[DEFAULT_SORT])


def complaint_list_page(
    user: User, filters: Filters | None, cursor: str | None, *, size: int, now: datetime.datetime | None = None
) -> KeysetPage:
    """One page of the list after `cursor`: one query, whatever the scope (issue 10)."""
    f = filters or Filters()
    return keyset_page(complaint_list(user, f, now), sort_keys(f.sort), cursor, size=size)


def return_visit_queue(user: User) -> QuerySet[Complaint]:
    """Complaints awaiting a return visit (C12), oldest result first, for customer service and QA;
    for QA also those whose result was told and await QA's decision on a return visit (issue 9)."""
    from estates.models import QA_ROLES

    states = [State.AWAITING_RETURN_VISIT]
    if user.is_superuser or user.role in QA_ROLES:
        states.append(State.RESULT_TOLD)
    return (
        with_deadlines(complaints_for(user).filter(state__in=states))
        .select_related(*LIST_JOINS)
        .prefetch_related(*_people_prefetch())
        .order_by(*(k.order() for k in _RV_KEYS))
    )


# Oldest result first; the partial index on awaiting-return-visit rows serves it (issue 10: keyset).
_RV_KEYS = (Key("result_told_at", nullable=True), Key("id"))


def return_visit_queue_page(user: User, cursor: str | None, *, size: int) -> KeysetPage:
    return keyset_page(return_visit_queue(user), _RV_KEYS, cursor, size=size)


def work_log(user: User, filters: Filters | None = None) -> QuerySet[Complaint]:
    """The work information log WY7.2.3-G01-F2 (C2): every complaint, as the paper book's columns
    (received date and time, channel, who, unit, content, receiver, passed to)."""
    qs = _office_and_period(user, filters or Filters())
    return qs.select_related(*LIST_JOINS).prefetch_related(*_people_prefetch()).order_by(*(k.order() for k in _NEWEST))


def work_log_page(user: User, filters: Filters | None, cursor: str | None, *, size: int) -> KeysetPage:
    return keyset_page(work_log(user, filters), _NEWEST, cursor, size=size)


def timeline(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.select_related("actor").prefetch_related("attachments").order_by("at", "pk")


def complaint_deadlines(complaint: Complaint) -> QuerySet[Deadline]:
    return (
        subject_deadlines(complaint)
        .select_related("responsible_user", "responsible_department")
        .order_by("opened_at", "pk")
    )


@dataclass(frozen=True)
class Rates:
    finished: int
    return_visited: int
    reopened: int

    @property
    def return_visit_rate(self) -> float | None:
        return self.return_visited / self.finished if self.finished else None

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.finished if self.finished else None


def rates(
    user: User, date_from: datetime.date | None = None, date_to: datetime.date | None = None, office: int | None = None
) -> Rates:
    """Return-visit rate (return visits done / complaints whose result was told) and reopen rate
    (complaints reopened at least once / the same base), one aggregate query (C12)."""
    qs = complaints_for(user).filter(result_told_at__isnull=False)
    if office:
        qs = qs.filter(office_id=office)
    if date_from:
        qs = qs.filter(received_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(received_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    row = qs.aggregate(
        finished=Count("pk"),
        return_visited=Count("pk", filter=Q(return_visit_at__isnull=False)),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
    )
    return Rates(**row)


def departments_for(user: User, office_id: int | None = None) -> QuerySet[Department]:
    """Departments a complaint of the user's offices may go to: company-level or of those offices."""
    ids = office_ids_for(user)
    if office_id is not None:
        ids = [i for i in ids if i == office_id]
    return (
        Department.objects.filter(company_id=user.company_id)
        .filter(Q(office__isnull=True) | Q(office_id__in=ids))
        .select_related("office")
    )


def handlers_for(office_id: int, company_id: int, department_id: int | None = None) -> QuerySet[User]:
    """C4, issue 9: whom a handling opinion may name — the office's own staff and the responsible
    department's staff (a company-level department's included), not the whole company."""
    where = Q(offices=office_id)
    if department_id is not None:
        where |= Q(department_id=department_id)
    return (
        User.objects.filter(is_active=True, company_id=company_id)
        .filter(where)
        .distinct()
        .order_by("display_name", "username")
    )


def earliest_due(qs: QuerySet[Complaint]) -> datetime.datetime | None:
    return qs.aggregate(m=Min("next_due"))["m"]


def received_today_by(user: User, now: datetime.datetime | None = None) -> QuerySet[Complaint]:
    """The complaints `user` received today — the office's day, Asia/Shanghai — in their offices,
    newest first: the front desk's "what I logged today" on the dashboard (slice it)."""
    day = timezone.localtime(now or timezone.now(), SHANGHAI).date()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)
    return (
        complaints_for(user)
        .filter(received_by=user, received_at__gte=start, received_at__lt=start + datetime.timedelta(days=1))
        .select_related("unit__building__community")
        .order_by("-received_at", "-pk")
    )
