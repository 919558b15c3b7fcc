"""What the dashboards read of the deadlines: the ones a user answers for (live_deadlines_for), the
breaches a user supervises as an escalation target (the rows, and grouped by rule and office from
clock.breach_counts), and the dashboard's lists (deadline_buckets). Re-exported by clock.selectors."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from estates.models import Office, Role, User
from estates.scoping import office_ids_for

from .breach_counts import NO_OFFICE_KEY, BreachCount
from .models import Deadline, DeadlineState

DUE_SOON = datetime.timedelta(hours=24)


def live_deadlines_for(user: User) -> QuerySet[Deadline]:
    """Unfinished deadlines the user answers for: named on them, or holding their role in one of their
    offices (a company role: in any office of the company, or company-level ones with no office)."""
    mine = Q(responsible_user=user)
    if user.role == Role.DEPT_MANAGER:
        # A department's deadline: its manager's; a department without one falls to the office's
        # department managers (clock.services.department_managers).
        if user.department_id:
            mine |= Q(responsible_user__isnull=True, responsible_department_id=user.department_id)
        managerless = ~Exists(
            User.objects.filter(
                department_id=OuterRef("responsible_department_id"), role=Role.DEPT_MANAGER, is_active=True
            )
        )
        mine |= (
            Q(responsible_user__isnull=True, office_id__in=office_ids_for(user))
            & Q(responsible_department__isnull=False)
            & managerless
        )
    if user.role:
        role_q = Q(responsible_role=user.role, responsible_user__isnull=True, responsible_department__isnull=True)
        if user.is_company_wide:
            # Office-less (company-level) deadlines only of the user's own company.
            mine |= role_q & (
                Q(office_id__in=office_ids_for(user)) | Q(office__isnull=True, company_id=user.company_id)
            )
        else:
            mine |= role_q & Q(office_id__in=office_ids_for(user))
    return (
        Deadline.objects.filter(mine, closed_at__isnull=True, state__in=[DeadlineState.OPEN, DeadlineState.BREACHED])
        .select_related("office", "responsible_user")
        .order_by("due_at")
    )


def _supervised_scope(user: User) -> Q:
    scope = Q(office_id__in=office_ids_for(user))
    if user.is_company_wide:
        scope |= Q(office__isnull=True, company_id=user.company_id)
    return scope


def _escalates_to(user: User) -> Q:
    """Deadlines whose breach is told to the user's role (see supervised_breaches_for)."""
    if connection.vendor == "postgresql":
        return Q(escalate_roles__contains=[user.role])
    return Q(escalate_roles__icontains=f'"{user.role}"')


def supervised_breaches_for(user: User) -> QuerySet[Deadline]:
    """Breached, unfinished deadlines whose rule names the user's role as an escalation target (QA for
    C3/C11, the assistant GM for C8, …), in the user's offices, excluding those the user answers for.

    Issue 10: read in due order through the partial index on breached, unfinished rows
    (deadline_breached_live_idx), so a page of 20 costs 20 rows, not every breach of the company. The
    role test is JSON containment on PostgreSQL (escalate_roles @> '["qa_staff"]', a partial GIN
    index); SQLite has no JSON containment, so there the quoted role is matched in the list's text
    ("qa" never matches "qa_manager")."""
    if not user.role:
        return Deadline.objects.none()
    return (
        Deadline.objects.filter(
            _supervised_scope(user), _escalates_to(user), state=DeadlineState.BREACHED, closed_at__isnull=True
        )
        .exclude(pk__in=live_deadlines_for(user).values("pk"))
        .select_related("office", "responsible_user")
        .order_by("due_at")
    )


# Company-level deadlines (no office) in the supervised list's office filter.
NO_OFFICE = "none"


def supervised_breaches_in(user: User, *, rule: str = "", office: str = "") -> QuerySet[Deadline]:
    """supervised_breaches_for narrowed to one rule and/or one office (an office id, or NO_OFFICE for
    company-level deadlines); what a group of the dashboard links to. An office outside the user's
    scope simply finds nothing (the scope filter stays)."""
    qs = supervised_breaches_for(user)
    if rule:
        qs = qs.filter(rule=rule)
    if office == NO_OFFICE:
        qs = qs.filter(office__isnull=True)
    elif office:
        try:
            qs = qs.filter(office_id=int(office))
        except ValueError:
            return qs.none()
    return qs


@dataclass(frozen=True)
class BreachGroup:
    rule: str
    office_id: int | None
    office_name: str
    count: int
    oldest_due_at: datetime.datetime

    @property
    def office_param(self) -> str:
        return str(self.office_id) if self.office_id is not None else NO_OFFICE


@dataclass(frozen=True)
class BreachGroups:
    """The groups shown (oldest first, at most `limit`), with the total over every group."""

    groups: list[BreachGroup]
    total: int
    hidden: int  # groups beyond the limit, not shown


def supervised_breach_groups(user: User, limit: int = 20) -> BreachGroups:
    """The breaches the user supervises (supervised_breaches_for), one row per (rule, office) with how
    many and the oldest due time, oldest first (issue 9: QA's dashboard was a 4,700 px column of cards).

    Issue 10: the counts come from clock_breachcount (clock.breach_counts: per company, office, rule
    and escalation role, kept exact by triggers in the deadline's own transaction), a few rows per
    office, instead of aggregating every breach of the company on every view; minus the user's own
    breached deadlines of those groups (what supervised_breaches_for excludes: read from the user's
    own live deadlines, as the dashboard's other lists are). The oldest due time of each group is one
    probe of deadline_breached_group_idx (rule, office, due order, first row). One query when the user
    supervises nothing, two otherwise (three when the user answers for some of the groups' breaches),
    their cost following the number of groups, not of breaches. The dashboard shows the `limit` oldest groups and
    says how many more there are (each group costs ~0.4 ms of template; 60 groups were 40% of the page)."""
    if not user.role:
        return BreachGroups([], 0, 0)
    company_wide = user.is_company_wide
    scope = Q(office_key__in=office_ids_for(user))
    if company_wide:
        scope |= Q(office_key=NO_OFFICE_KEY, company_key=user.company_id)
    role = _escalates_to(user)
    # The user's own live deadlines of these groups; "state" is grouped, not filtered, so PostgreSQL
    # reads them through the user's indexes, not every breach through the breached-rows index.
    mine = live_deadlines_for(user).filter(_supervised_scope(user), role).select_related(None).order_by()

    def group_rows(exclude_mine: bool) -> list[tuple]:
        breached = Deadline.objects.filter(
            role, rule=OuterRef("rule"), state=DeadlineState.BREACHED, closed_at__isnull=True
        ).order_by("due_at")
        if exclude_mine:
            breached = breached.exclude(pk__in=mine.values("pk"))
        breached = breached.values("due_at")
        oldest = Subquery(breached.filter(office_id=OuterRef("office_key"))[:1])
        if company_wide:
            company_level = breached.filter(office__isnull=True, company_id=OuterRef("company_key"))
            oldest = Coalesce(oldest, Subquery(company_level[:1]))
        office_name = Subquery(Office.objects.filter(pk=OuterRef("office_key")).order_by().values("name")[:1])
        return list(
            BreachCount.objects.filter(scope, role=user.role, n__gt=0)
            .annotate(oldest=oldest, office_name=office_name)
            .values_list("rule", "office_key", "office_name", "n", "oldest")
        )

    rows = group_rows(exclude_mine=False)
    if not rows:  # the front desk, most users: one query
        return BreachGroups([], 0, 0)
    own = Counter(
        {
            (r["rule"], r["office_id"] or NO_OFFICE_KEY): r["n"]
            for r in mine.values("rule", "office_id", "state").annotate(n=Count("pk"))
            if r["state"] == DeadlineState.BREACHED
        }
    )
    if own:  # rare: the user answers for some of what the role supervises; their oldest must not count
        rows = group_rows(exclude_mine=True)
    groups = [
        BreachGroup(
            rule=rule,
            office_id=office_key or None,
            office_name=office_name or "",
            count=n - own[(rule, office_key)],
            oldest_due_at=oldest_at,
        )
        for rule, office_key, office_name, n, oldest_at in rows
        if n > own[(rule, office_key)] and oldest_at is not None
    ]
    groups.sort(key=lambda g: (g.oldest_due_at, g.rule, g.office_id or 0))
    return BreachGroups(groups[:limit], sum(g.count for g in groups), max(0, len(groups) - limit))


def deadline_buckets(user: User, now: datetime.datetime | None = None, limit: int = 20) -> dict[str, list]:
    """The dashboard's lists: overdue, due soon (within 24 hours), provisional — of the deadlines the
    user answers for — and the breaches the user supervises as an escalation target, grouped by rule
    and office, the `limit` oldest groups with the total (supervised_breach_groups; the rows
    themselves are on the supervised list page)."""
    now = now or timezone.now()
    live = live_deadlines_for(user)
    return {
        "overdue": list(live.filter(due_at__lte=now)[:limit]),
        "due_soon": list(live.filter(due_at__gt=now, due_at__lte=now + DUE_SOON)[:limit]),
        "provisional": list(live.filter(provisional=True)[:limit]),
        "supervised": supervised_breach_groups(user, limit=limit),
    }
