"""Reads of the summaries (C14, C15): who sees which summary, analysis and published complaint, and
the figures (computed in reports.figures, answered as the JSON the services store)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from estates.models import QA_ROLES, Company, Department, Role, User
from estates.scoping import office_ids_for

from ..models import AnalysisState, ComplaintPublication, MonthlySummary, QuarterlyAnalysis, SummaryState
from . import figures

# Roles that see a department's draft summary (the approver, the office's managers); the company
# roles see every draft of their company. Everybody else of the office sees approved summaries only.
_DRAFT_READERS = frozenset({Role.DEPT_MANAGER, Role.OFFICE_MANAGER})


# ---------------------------------------------------------------------------------------------
# Who sees what


def summaries_for(user: User) -> QuerySet[MonthlySummary]:
    """Summaries of the user's offices, and company-level departments' summaries for the company
    roles and that department's own staff. Drafts only for the managers, the department's own
    staff and the company roles (a summary is published to staff when approved, C14)."""
    if not user.is_authenticated or not user.is_active or not user.company_id:
        return MonthlySummary.objects.none()
    qs = MonthlySummary.objects.filter(company_id=user.company_id)
    where = Q(office_id__in=office_ids_for(user))
    if user.is_company_wide:
        where |= Q(office__isnull=True)
    elif user.department_id:
        where |= Q(office__isnull=True, department_id=user.department_id)
    qs = qs.filter(where)
    if not (user.is_superuser or user.is_company_wide or user.role in _DRAFT_READERS):
        own = Q(department_id=user.department_id) if user.department_id else Q(pk__in=[])
        qs = qs.filter(Q(state=SummaryState.APPROVED) | own)
    return qs


def summary_list(user: User) -> QuerySet[MonthlySummary]:
    return (
        summaries_for(user)
        .select_related("department__office", "office", "approved_by")
        .defer("data")
        .order_by("-month", "office__name", "department__name", "pk")
    )


def summary_for_user(user: User, pk: Any) -> MonthlySummary:
    try:
        return summaries_for(user).select_related("department__office", "office", "approved_by", "company").get(pk=pk)
    except (MonthlySummary.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def analyses_for(user: User) -> QuerySet[QuarterlyAnalysis]:
    """A company's analyses: published ones for all its staff, drafts for the company roles (C15)."""
    if not user.is_authenticated or not user.is_active or not user.company_id:
        return QuarterlyAnalysis.objects.none()
    qs = QuarterlyAnalysis.objects.filter(company_id=user.company_id)
    if not (user.is_superuser or user.is_company_wide):
        qs = qs.filter(state=AnalysisState.PUBLISHED)
    return qs


def analysis_list(user: User) -> QuerySet[QuarterlyAnalysis]:
    return analyses_for(user).select_related("published_by").defer("data").order_by("-quarter", "pk")


def analysis_for_user(user: User, pk: Any) -> QuarterlyAnalysis:
    try:
        return analyses_for(user).select_related("published_by", "company").get(pk=pk)
    except (QuarterlyAnalysis.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def publications_for(user: User) -> QuerySet[ComplaintPublication]:
    """C15: published complaints are for every staff member of the company (QA's text only; the
    complaint itself stays visible to its own office alone)."""
    if not user.is_authenticated or not user.is_active or not user.company_id:
        return ComplaintPublication.objects.none()
    return (
        ComplaintPublication.objects.filter(company_id=user.company_id)
        .select_related("complaint__office", "published_by")
        .order_by("-published_at", "-pk")
    )


def approver_role(summary: MonthlySummary) -> str:
    """C14 (issue 9): the department's manager approves; a department with no manager is approved by
    its office's manager (a company-level one by the QA manager, who answers for its C14 deadline).
    Never the company admin, and a superuser does not stand in."""
    has_manager = User.objects.filter(
        role=Role.DEPT_MANAGER, department_id=summary.department_id, is_active=True
    ).exists()
    if has_manager:
        return Role.DEPT_MANAGER
    return Role.OFFICE_MANAGER if summary.office_id else Role.QA_MANAGER


def may_approve(user: User, summary: MonthlySummary) -> bool:
    if not user.is_active or user.company_id != summary.company_id:
        return False
    role = approver_role(summary)
    if role != user.role:
        return False
    if role == Role.DEPT_MANAGER:
        return user.department_id == summary.department_id
    if role == Role.OFFICE_MANAGER:
        return summary.office_id in office_ids_for(user)
    return True


def may_refresh(user: User, summary: MonthlySummary) -> bool:
    return may_approve(user, summary) or user.role in QA_ROLES or user.role == Role.OFFICE_MANAGER


def may_analyse(user: User) -> bool:
    """C15: QA analyses, publishes, and publishes a complaint promptly."""
    return user.is_superuser or user.role in QA_ROLES


# ---------------------------------------------------------------------------------------------
# Figures (as stored)


def monthly_figures(department: Department, month: datetime.date, now: datetime.datetime | None = None) -> dict:
    """C14: the figures of a department's month as stored (MonthlySnapshot.to_json())."""
    return figures.monthly_snapshot(department, month, now).to_json()


def quarterly_figures(company: Company, quarter: datetime.date, now: datetime.datetime | None = None) -> dict:
    """C15: the figures of a company's quarter as stored (QuarterlySnapshot.to_json())."""
    return figures.quarterly_snapshot(company, quarter, now).to_json()
