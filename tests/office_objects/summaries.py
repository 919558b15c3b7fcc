"""Office objects of the C14 summaries and C15 analyses for the office-isolation test (tests/office_objects)."""

from __future__ import annotations

import datetime

from django.db.models import Model
from django.utils import timezone

from . import INSIDERS, KWARGS, Context, OfficeObject


def _monthly_summary(ctx: Context) -> Model:
    """An approved (published) C14 summary of a department of office A: the front desk of A reads it."""
    from complaints.models import MonthlySummary, SummaryState
    from tests.factories import DepartmentFactory

    department = DepartmentFactory(company=ctx.company, office=ctx.office_a, name="工程部")
    return MonthlySummary.objects.create(
        company=ctx.company,
        office=ctx.office_a,
        department=department,
        month=datetime.date(2026, 1, 1),
        state=SummaryState.APPROVED,
        data={"totals": {"received": 1}, "rows": []},
        generated_at=timezone.now(),
        approved_by=ctx.frontdesk_a,
        approved_at=timezone.now(),
    )


def _quarterly_analysis(ctx: Context) -> Model:
    """A draft C15 analysis of the company: QA of the company reads it, QA of another company must not."""
    from complaints.models import QuarterlyAnalysis

    return QuarterlyAnalysis.objects.create(
        company=ctx.company, quarter=datetime.date(2026, 1, 1), data={"total": 0}, generated_at=timezone.now()
    )


KWARGS["summary_id"] = OfficeObject(_monthly_summary)  # complaints:summary_*
KWARGS["analysis_id"] = OfficeObject(_quarterly_analysis)  # complaints:analysis_*
INSIDERS.update({f"complaints:analysis_{name}": "qa" for name in ("detail", "refresh", "publish", "print", "export")})
