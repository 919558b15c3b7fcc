"""Writes of the C14 monthly summaries (C15 analyses and published complaints: quarterly.py).

Generation is idempotent and catches up (STYLE.md, the djangoproject.com counter-example): the
scheduled job runs every hour and makes whatever is missing for the finished months or quarters back
to rules.CATCH_UP_MONTHS (since the first one ever made), so a worker that was down across a month
boundary loses nothing, and beat firing twice, or two workers at once,
make one summary (the unique constraints; the loser of the insert race takes the winner's row).
State changes are compare-and-set updates on the state the caller saw.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from clock.deadlines import deadline_sync
from clock.notifications import notify
from clock.services import users_for_role
from common.db import create_once
from estates.models import Department, DepartmentKind, Role, User

from .. import rules
from ..models import (
    Complaint,
    MonthlySummary,
    SummaryState,
)
from . import selectors as sel

# ---------------------------------------------------------------------------------------------
# C14 monthly summaries


def department_manager(department: Department) -> User | None:
    return User.objects.filter(role=Role.DEPT_MANAGER, department=department, is_active=True).order_by("pk").first()


def _title_param(summary: MonthlySummary) -> dict:
    """The summary's title as a notification parameter, rendered in each reader's language."""
    return {
        "rule": rules.RULE_C14,
        "params": {"month": f"{summary.month:%Y-%m}", "department": summary.department.label},
    }


def _sync_c14(summary: MonthlySummary, now: datetime.datetime | None = None) -> None:
    """C14 through the clock: the summary's plan (rules.summary_deadline_plan), synced."""
    manager = department_manager(summary.department)
    plan = rules.summary_deadline_plan(summary, manager_id=manager.pk if manager else None)
    deadline_sync(summary, plan, done=[rules.RULE_C14] if summary.state == SummaryState.APPROVED else [], now=now)


def monthly_summary_generate(
    *, department: Department, month: datetime.date, now: datetime.datetime | None = None
) -> tuple[MonthlySummary, bool]:
    """The draft summary of `department` for `month` (made once; returns (summary, created)). Opens
    the C14 deadline and tells the manager the draft is ready."""
    now = now or timezone.now()
    month = rules.month_start(month)
    if rules.month_bounds(month)[1] > now:
        raise ValidationError(_("A month is summarised only after it has ended."))
    find = MonthlySummary.objects.filter(department=department, month=month).first
    existing = find()
    if existing is not None:
        return existing, False
    summary = MonthlySummary(
        company_id=department.company_id,
        office_id=department.office_id,
        department=department,
        month=month,
        state=SummaryState.DRAFT,
        data=sel.monthly_figures(department, month, now),
        generated_at=now,
    )
    summary.full_clean(validate_constraints=False)

    def create() -> MonthlySummary:
        summary.save()
        # C14 starts when the month ends (a summary made late still counts from then).
        _sync_c14(summary, now=min(rules.month_bounds(month)[1], timezone.now()))
        return summary

    # Another worker (or beat firing twice) may make it between our read and our insert: theirs wins.
    summary, created = create_once(create, find)
    if not created:
        return summary, False
    manager = department_manager(department)
    recipients = [manager] if manager else list(_role_holders(department, sel.approver_role(summary)))
    notify(
        recipients=recipients,
        key=f"c14:{summary.pk}:draft",
        title=N_("Draft ready: %(title)s"),
        body=N_("C14: check and approve it before 00:00 on the 5th."),
        params={"title": _title_param(summary)},
        link=summary.get_absolute_url(),
    )
    return summary, True


def _role_holders(department: Department, role: str):
    if department.office_id:
        return users_for_role(role=role, office=department.office)
    return users_for_role(role=role, company=department.company).filter(department=department)


def departments_due(month: datetime.date) -> list[Department]:
    """Departments that answer for at least one complaint of `month` (received in it, or carried
    into it unfinished) and have no summary for it yet. A department with nothing to report gets
    no summary (and no deadline)."""
    start, end = rules.month_bounds(month)
    done = MonthlySummary.objects.filter(month=rules.month_start(month)).values("department_id")
    # Relevant: received before the month's end and unfinished at its start — read as those still open
    # (partial indexes of unfinished complaints) or closed since the start (by closing time), never
    # as a scan of the years before (issue 10).
    before_end = Complaint.objects.filter(received_at__lt=end)
    open_now = before_end.filter(closed_at__isnull=True)
    closed_since = before_end.filter(closed_at__gte=start)
    candidates = list(
        Department.objects.exclude(pk__in=done)
        .annotate(
            has_open=Exists(open_now.filter(department_id=OuterRef("pk"))),
            has_closed=Exists(closed_since.filter(department_id=OuterRef("pk"))),
        )
        .select_related("office", "company")
        .order_by("company_id", "office_id", "pk")
    )
    receivers: dict[int, int] = {}
    for office_id, pk in (
        Department.objects.filter(kind=DepartmentKind.CUSTOMER_SERVICE, office__isnull=False)
        .order_by("office_id", "pk")
        .values_list("office_id", "pk")
    ):
        receivers.setdefault(office_id, pk)
    unassigned = {
        office_id
        for qs in (open_now, closed_since)
        for office_id in qs.filter(department__isnull=True).order_by().values_list("office_id", flat=True).distinct()
    }
    result = []
    for department in candidates:
        # The receiving department of an office also answers for complaints not yet given to any.
        receives = department.office_id in unassigned and receivers.get(department.office_id) == department.pk
        if department.has_open or department.has_closed or receives:
            result.append(department)
    return result


def monthly_summaries_generate(*, now: datetime.datetime | None = None) -> int:
    """C14, run by beat every hour: every missing draft of the finished months back to
    rules.CATCH_UP_MONTHS (not before the first month ever summarised). Returns how many were made
    (0 on every run after the first)."""
    now = now or timezone.now()
    first = MonthlySummary.objects.order_by("month").values_list("month", flat=True).first()
    made = 0
    for month in rules.months_to_catch_up(now, first):
        for department in departments_due(month):
            _summary, created = monthly_summary_generate(department=department, month=month, now=now)
            made += int(created)
    return made


def monthly_summary_refresh(*, summary: MonthlySummary, by: User) -> MonthlySummary:
    """Recompute a draft's figures (a complaint logged late, a class corrected)."""
    if not sel.may_refresh(by, summary):
        raise ValidationError(_("Your role may not refresh this summary."))
    now = timezone.now()
    data = sel.monthly_figures(summary.department, summary.month, now)
    changed = MonthlySummary.objects.filter(pk=summary.pk, state=SummaryState.DRAFT).update(data=data, generated_at=now)
    if changed != 1:
        raise ValidationError(_("This summary is approved: its figures are final."))
    summary.refresh_from_db()
    return summary


@transaction.atomic
def monthly_summary_approve(*, summary: MonthlySummary, by: User, note: str = "") -> MonthlySummary:
    """C14: the department manager approves the draft as shown (the snapshot is frozen); the C14
    deadline is met (a late approval stays late); the summary is published to the department and the
    office's staff and copied to QA."""
    if not sel.may_approve(by, summary):
        raise ValidationError(
            _("Only the manager of %(department)s may approve it.") % {"department": summary.department.label}
        )
    now = timezone.now()
    changed = MonthlySummary.objects.filter(pk=summary.pk, state=SummaryState.DRAFT).update(
        state=SummaryState.APPROVED, approved_by=by, approved_at=now, note=note.strip()
    )
    if changed != 1:
        raise ValidationError(_("This summary is already approved."))
    summary.refresh_from_db()
    _sync_c14(summary, now=now)  # met; a late approval stays late

    department = summary.department
    title = _title_param(summary)
    if department.office_id:
        staff = User.objects.filter(is_active=True, offices=department.office_id).distinct()
    else:
        staff = User.objects.filter(is_active=True, department=department)
    notify(
        recipients=[u for u in staff if u.pk != by.pk],
        key=f"c14:{summary.pk}:published",
        title=N_("Published: %(title)s"),
        body=N_("C14: approved by %(who)s."),
        params={"title": title, "who": str(by)},
        link=summary.get_absolute_url(),
    )
    qa = list(users_for_role(role=Role.QA_STAFF, company=department.company)) + list(
        users_for_role(role=Role.QA_MANAGER, company=department.company)
    )
    notify(
        recipients=qa,
        key=f"c14:{summary.pk}:qa-copy",
        title=N_("Copy to QA: %(title)s"),
        body=N_("C14: approved by %(who)s."),
        params={"title": title, "who": str(by)},
        link=summary.get_absolute_url(),
    )
    return summary
