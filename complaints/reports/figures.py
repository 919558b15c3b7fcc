"""The figures of C14 and C15, aggregated in the database (GROUP BY and filtered counts: DESIGN.md
"Scale"), never by loading a department's or a company's complaints into Python to count them.
Each function answers a typed snapshot (reports.snapshot); the services store its JSON.

Which complaints belong to a department's month (C14), decided here:
- the complaints whose responsible department is that department, received in that month (Asia/Shanghai
  month boundaries); complaints not yet given to any department count with their office's receiving
  department (the first customer service department of the office, C2: the receiver passes it on);
- plus the items carried over: received earlier and not finished when the month began — counted,
  not listed (issue 10: a month's snapshot lists that month's complaints, so its size and its
  generation time follow the month, not the years of unfinished history before it);
- "open items" are those of both not finished when the month ended (closed_at empty or later).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from clock.models import DeadlineState
from clock.selectors import deadlines_of_model
from estates.models import Company, Department, DepartmentKind

from .. import rules
from ..models import Complaint, ComplaintPublication
from ..rules import ComplaintClass, State
from .snapshot import (
    Compliance,
    DepartmentFigures,
    Group,
    MonthlyRow,
    MonthlySnapshot,
    MonthlyTotals,
    OfficeFigures,
    ParetoItem,
    Period,
    PublicationRef,
    QuarterlySnapshot,
    RepeatUnit,
    ResponseBucket,
    TrendMonth,
)

# C15 response-time buckets (hours from receipt to first response).
RESPONSE_BUCKETS = (2, 8, 24, 48)


# ---------------------------------------------------------------------------------------------
# Which complaints


def receiving_department(office_id: int) -> Department | None:
    return Department.objects.filter(office_id=office_id, kind=DepartmentKind.CUSTOMER_SERVICE).order_by("pk").first()


def department_owners(department: Department) -> list[Q]:
    """The complaints a department answers for, as the alternatives an index serves each: its own,
    and for an office's receiving department those of the office not yet given to any."""
    owners = [Q(department_id=department.pk)]
    if department.office_id:
        receiver = receiving_department(department.office_id)
        if receiver is not None and receiver.pk == department.pk:
            owners.append(Q(department__isnull=True, office_id=department.office_id))
    return owners


def department_q(department: Department) -> Q:
    """The complaints a department answers for in its summary (see the module docstring)."""
    q = Q()
    for owner in department_owners(department):
        q |= owner
    return q


def _any_of(owners: list[Q], condition: Q) -> Q:
    """`condition` for any of the owners, one alternative per owner (each a range of one index)."""
    q = owners[0] & condition
    for owner in owners[1:]:
        q |= owner & condition
    return q


def carried_over(owners: list[Q], start: datetime.datetime, end: datetime.datetime) -> tuple[int, int]:
    """C14: complaints of `owners` received before `start` and unfinished at it (closed_at empty or not
    before it): how many, and how many of those were still unfinished at `end`. Issue 10: what an
    office leaves unfinished accumulates over the years, so the count is made of two reads that do not
    touch the owners' history: those still open today, counted from the partial indexes of unfinished
    complaints (complaint_dept_unfinished_idx / complaint_unassigned_open_idx, whose keys hold the whole
    condition, so PostgreSQL counts them without reading the rows), and those closed since `start`, a
    range of (department|office, closed_at). One count per owner for the open ones: an OR of the two
    would be a bitmap scan, which reads every row; each alone is an index-only scan."""
    before = Q(received_at__lt=start)
    still_open = sum(Complaint.objects.filter(owner, before, closed_at__isnull=True).count() for owner in owners)
    closed_since = Complaint.objects.filter(_any_of(owners, Q(closed_at__gte=start)), before).aggregate(
        n=Count("pk"), after_end=Count("pk", filter=Q(closed_at__gte=end))
    )
    return still_open + closed_since["n"], still_open + closed_since["after_end"]


def _c3_field(name: str) -> Subquery:
    """A field of the complaint's C3 first-response deadline, as a subquery (no query per row)."""
    return Subquery(
        deadlines_of_model(Complaint)
        .filter(subject_id=OuterRef("pk"), rule=rules.RULE_C3)
        .order_by("opened_at", "pk")
        .values(name)[:1]
    )


def _c3_state() -> Subquery:
    return _c3_field("state")


def _c3_due() -> Subquery:
    return _c3_field("due_at")


def compliance(qs: QuerySet[Complaint], now: datetime.datetime) -> Compliance:
    """C3 compliance of `qs`: met on time, late (breached, or still open past due), pending (open,
    not yet due), none (no C3 deadline: cancelled or made before the clock). One query."""
    row = qs.annotate(c3_state=_c3_state(), c3_due=_c3_due()).aggregate(
        met=Count("pk", filter=Q(c3_state=DeadlineState.MET)),
        breached=Count("pk", filter=Q(c3_state=DeadlineState.BREACHED)),
        open_late=Count("pk", filter=Q(c3_state=DeadlineState.OPEN, c3_due__lte=now)),
        pending=Count("pk", filter=Q(c3_state=DeadlineState.OPEN, c3_due__gt=now)),
        total=Count("pk"),
    )
    late = row["breached"] + row["open_late"]
    decided = row["met"] + late
    return Compliance(
        met=row["met"],
        late=late,
        pending=row["pending"],
        none=row["total"] - decided - row["pending"],
        rate=round(100 * row["met"] / decided, 1) if decided else None,
    )


def _grouped(qs: QuerySet[Complaint], field: str) -> tuple[Group, ...]:
    return tuple(
        Group(key=row[field], count=row["n"])
        for row in qs.order_by().values(field).annotate(n=Count("pk")).order_by("-n", field)
        if row["n"]
    )


def _on_time(state: str | None, due: datetime.datetime | None, now: datetime.datetime) -> str:
    if state == DeadlineState.MET:
        return "yes"
    if state == DeadlineState.BREACHED or (state == DeadlineState.OPEN and due is not None and due <= now):
        return "no"
    if state == DeadlineState.OPEN:
        return "pending"
    return ""


def _finished_before(moment: datetime.datetime) -> Q:
    return Q(closed_at__isnull=False, closed_at__lt=moment)


def monthly_snapshot(
    department: Department, month: datetime.date, now: datetime.datetime | None = None
) -> MonthlySnapshot:
    """C14: the figures and the list of a department's month."""
    now = now or timezone.now()
    start, end = rules.month_bounds(month)
    owners = department_owners(department)
    mine = Complaint.objects.filter(department_q(department))
    received = mine.filter(received_at__gte=start, received_at__lt=end)
    # Carried over: received earlier, unfinished at the month's start (counted, not listed).
    carried, carried_open_at_end = carried_over(owners, start, end)

    counted = received.aggregate(
        received=Count("pk"),
        complaints=Count("pk", filter=Q(kind="complaint")),
        suggestions=Count("pk", filter=Q(kind="suggestion")),
        effective=Count("pk", filter=Q(complaint_class=ComplaintClass.CLASS_1)),
        invalid=Count("pk", filter=Q(state=State.INVALID)),
        c9=Count("pk", filter=Q(channel__in=rules.C9_CHANNELS)),
    )
    totals = MonthlyTotals(
        **counted,
        carried_over=carried,
        open_at_end=received.exclude(_finished_before(end)).count() + carried_open_at_end,
    )

    rows = []
    listed = (
        received.annotate(c3_state=_c3_state(), c3_due=_c3_due())
        .order_by("received_at", "pk")
        .only("pk", "number", "received_at", "kind", "complaint_class", "category", "channel", "state", "closed_at")
    )
    for c in listed.iterator(chunk_size=500):
        rows.append(
            MonthlyRow(
                id=c.pk,
                number=c.number,
                received_at=c.received_at,
                kind=c.kind,
                complaint_class=c.complaint_class,
                category=c.category,
                channel=c.channel,
                state=c.state,
                on_time=_on_time(c.c3_state, c.c3_due, now),
                carried=c.received_at < start,
                open_at_end=not (c.closed_at is not None and c.closed_at < end),
                c9=c.channel in rules.C9_CHANNELS,
            )
        )
    return MonthlySnapshot(
        period=Period(start=start, end=end),
        computed_at=now,
        totals=totals,
        by_class=_grouped(received, "complaint_class"),
        by_channel=_grouped(received, "channel"),
        by_category=_grouped(received, "category"),
        by_office=_grouped(received, "office__name"),
        compliance=compliance(received, now),
        rows=tuple(rows),
    )


def quarterly_snapshot(
    company: Company, quarter: datetime.date, now: datetime.datetime | None = None
) -> QuarterlySnapshot:
    """C15: trends, Pareto of categories, response-time distribution, repeat complaints by unit and
    counts per office and department for every complaint of the company in the quarter."""
    now = now or timezone.now()
    start, end = rules.quarter_bounds(quarter)
    qs = Complaint.objects.filter(office__company=company, received_at__gte=start, received_at__lt=end)

    # Trend: each month by class, in one query of filtered counts.
    months = rules.quarter_months(quarter)
    aggregates = {}
    for i, month in enumerate(months):
        m_start, m_end = rules.month_bounds(month)
        in_month = Q(received_at__gte=m_start, received_at__lt=m_end)
        aggregates[f"m{i}_total"] = Count("pk", filter=in_month)
        for cls in ComplaintClass.values:
            aggregates[f"m{i}_c{cls}"] = Count("pk", filter=in_month & Q(complaint_class=cls))
        aggregates[f"m{i}_none"] = Count("pk", filter=in_month & Q(complaint_class__isnull=True))
    trend_row = qs.aggregate(**aggregates)
    trend = tuple(
        TrendMonth(
            month=month,
            total=trend_row[f"m{i}_total"],
            classes=tuple(trend_row[f"m{i}_c{cls}"] for cls in ComplaintClass.values),
            unclassified=trend_row[f"m{i}_none"],
        )
        for i, month in enumerate(months)
    )

    # Pareto of causes: categories by count, with the cumulative share.
    counts = _grouped(qs, "category")
    total = sum(g.count for g in counts)
    pareto, running = [], 0
    for g in counts:
        running += g.count
        pareto.append(
            ParetoItem(
                category=g.key,
                count=g.count,
                percent=round(100 * g.count / total, 1) if total else 0.0,
                cumulative=round(100 * running / total, 1) if total else 0.0,
            )
        )

    # Response time: cumulative filtered counts from receipt to first response, then differences.
    buckets = {
        f"le{h}": Count("pk", filter=Q(responded_at__lte=F("received_at") + datetime.timedelta(hours=h)))
        for h in RESPONSE_BUCKETS
    }
    dist = qs.aggregate(
        responded=Count("pk", filter=Q(responded_at__isnull=False)),
        not_responded=Count("pk", filter=Q(responded_at__isnull=True)),
        **buckets,
    )
    distribution, below = [], 0
    for h in RESPONSE_BUCKETS:
        distribution.append(ResponseBucket(key=f"le{h}", hours=h, count=dist[f"le{h}"] - below))
        below = dist[f"le{h}"]
    distribution.append(ResponseBucket(key="over", hours=RESPONSE_BUCKETS[-1], count=dist["responded"] - below))
    distribution.append(ResponseBucket(key="none", hours=None, count=dist["not_responded"]))

    # Repeat complaints: units with two or more complaints in the quarter.
    # Ids and counts only (snapshot v3, STYLE.md 17): the label is rendered live in the reader's scope.
    # Ordered by the names, so ties read in the order a person would look for them.
    repeats = [
        RepeatUnit(unit_id=r["unit"], office_id=r["office"], count=r["n"])
        for r in qs.filter(unit__isnull=False)
        .order_by()
        .values(
            "unit", "office", "office__name", "unit__building__community__name", "unit__building__name", "unit__number"
        )
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("-n", "office__name", "unit__building__community__name", "unit__building__name", "unit__number")[:200]
    ]

    by_office = [
        OfficeFigures(office=r["office__name"], total=r["n"], effective=r["effective"], c9=r["c9"])
        for r in qs.order_by()
        .values("office__name")
        .annotate(
            n=Count("pk"),
            effective=Count("pk", filter=Q(complaint_class=ComplaintClass.CLASS_1)),
            c9=Count("pk", filter=Q(channel__in=rules.C9_CHANNELS)),
        )
        .order_by("-n", "office__name")
    ]
    by_department = [
        DepartmentFigures(
            department=r["department__name"] or "",
            office=r["department__office__name"] or "",
            total=r["n"],
        )
        for r in qs.order_by()
        .values("department__name", "department__office__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "department__office__name", "department__name")
    ]
    publications = [
        PublicationRef(number=number, title=title, published_at=at)
        for number, title, at in ComplaintPublication.objects.filter(
            company=company, published_at__gte=start, published_at__lt=end
        )
        .order_by("published_at")
        .values_list("complaint__number", "title", "published_at")
    ]
    return QuarterlySnapshot(
        period=Period(start=start, end=end),
        computed_at=now,
        total=total,
        effective=sum(t.classes[0] for t in trend),
        by_class=_grouped(qs, "complaint_class"),
        by_channel=_grouped(qs, "channel"),
        trend=trend,
        pareto=tuple(pareto),
        response_times=tuple(distribution),
        repeats=tuple(repeats),
        by_office=tuple(by_office),
        by_department=tuple(by_department),
        compliance=compliance(qs, now),
        publications=tuple(publications),
    )
