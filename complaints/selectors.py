"""Reads of the complaint procedure: querysets scoped to the user's offices, annotated in the
database so that a page of rows costs a fixed number of queries (DESIGN.md "Scale")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from clock.models import Deadline, DeadlineState
from clock.selectors import live_deadlines_of_model, subject_deadlines
from estates.models import Department, User
from estates.scoping import get_for_user, office_ids_for, scoped

from .models import Attachment, Complaint, ComplaintEvent
from .rules import OPEN_STATES, State

SORTS = {
    "received": ("received_at", "pk"),
    "-received": ("-received_at", "-pk"),
    "number": ("number",),
    "-number": ("-number",),
    "state": ("state", "-received_at", "-pk"),
    "class": (F("complaint_class").asc(nulls_last=True), "-received_at", "-pk"),
    "due": (F("next_due").asc(nulls_last=True), "-received_at", "-pk"),
}
DEFAULT_SORT = "-received"


def _live_deadlines() -> QuerySet[Deadline]:
    """Live deadlines of the complaint in the outer query (clock.selectors, the one definition)."""
    return live_deadlines_of_model(Complaint).filter(subject_id=OuterRef("pk"))


def with_deadlines(qs: QuerySet[Complaint], now: datetime.datetime | None = None) -> QuerySet[Complaint]:
    """Annotate `overdue` (a live deadline breached or due by now) and `next_due` (the earliest live
    due time), as subqueries: no extra query per row."""
    now = now or timezone.now()
    live = _live_deadlines()
    return qs.annotate(
        overdue=Exists(live.filter(Q(state=DeadlineState.BREACHED) | Q(due_at__lte=now))),
        next_due=Subquery(live.order_by("due_at").values("due_at")[:1]),
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
    if f.text:
        # icontains: fine on SQLite and for now on PostgreSQL. At 1M rows PostgreSQL wants a trigram
        # (pg_trgm GIN) index on content/number/contact_name to serve this; see DESIGN.md "Scale".
        text = f.text.strip()
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(content__icontains=text)
            | Q(contact_name__icontains=text)
            | Q(contact_phone__icontains=text)
            | Q(unit__number__icontains=text)
            | Q(resident__name__icontains=text)
        )
    qs = with_deadlines(qs, now)
    if f.overdue:
        qs = qs.filter(overdue=True)
    order = SORTS.get(f.sort, SORTS[DEFAULT_SORT])
    return qs.select_related(
        "office", "resident", "unit__building__community", "department__office", "handler", "received_by"
    ).order_by(*order)


def return_visit_queue(user: User) -> QuerySet[Complaint]:
    """Complaints awaiting a return visit (C12), oldest result first, for customer service and QA."""
    return (
        with_deadlines(complaints_for(user).filter(state=State.AWAITING_RETURN_VISIT))
        .select_related("office", "resident", "unit__building__community", "department__office", "handler")
        .order_by("result_told_at", "pk")
    )


def work_log(user: User, filters: Filters | None = None) -> QuerySet[Complaint]:
    """The work information log WY7.2.3-G01-F2 (C2): every complaint, as the paper book's columns
    (received date and time, channel, who, unit, content, receiver, passed to)."""
    qs = _office_and_period(user, filters or Filters())
    return qs.select_related(
        "office", "resident", "unit__building__community", "received_by", "department__office", "handler"
    ).order_by("-received_at", "-pk")


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


def handlers_for(office_id: int, company_id: int) -> QuerySet[User]:
    """Staff who may handle a complaint of the office: its own staff and the company roles."""
    from estates.models import COMPANY_ROLES

    return (
        User.objects.filter(is_active=True, company_id=company_id)
        .filter(Q(offices=office_id) | Q(role__in=list(COMPANY_ROLES)))
        .distinct()
        .order_by("display_name", "username")
    )


def earliest_due(qs: QuerySet[Complaint]) -> datetime.datetime | None:
    return qs.aggregate(m=Min("next_due"))["m"]
