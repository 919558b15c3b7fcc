"""seed_demo's summaries (C14, C15): last month awaiting approval, the month before published, the
last quarter's analysis published when the demo covers it; idempotent."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from clock.models import DeadlineState
from clock.services import deadlines_for
from complaints import demo
from complaints.models import AnalysisState, MonthlySummary, QuarterlyAnalysis, SummaryState
from tests.complaints.conftest import SH

pytestmark = pytest.mark.django_db

# A Friday in April: March is "last month", February the month before, Q1 the last quarter.
APRIL_3 = datetime.datetime(2026, 4, 3, 10, 0, tzinfo=SH)


def test_c14_c15_seed_demo_has_last_months_summary_awaiting_approval_and_is_idempotent(client):
    from estates import demo as estates_demo

    with time_machine.travel(APRIL_3, tick=False):
        company = estates_demo.seed()
        demo.seed(company)
        march = MonthlySummary.objects.filter(company=company, month=datetime.date(2026, 3, 1))
        assert march.exists()
        assert set(march.values_list("state", flat=True)) == {SummaryState.DRAFT}
        deadline = deadlines_for(march.get(department__name="客户服务部", office__code="kexin")).get()
        assert deadline.state == DeadlineState.OPEN
        assert deadline.due_at == datetime.datetime(2026, 4, 5, tzinfo=SH)
        assert deadline.responsible_user.username == "deptmanager"

        february = MonthlySummary.objects.filter(company=company, month=datetime.date(2026, 2, 1))
        kexin = february.get(department__name="客户服务部", office__code="kexin")
        assert kexin.state == SummaryState.APPROVED
        assert kexin.approved_by.username == "deptmanager"
        # Issue 9: the second office's department has a manager too, so its summaries are approved.
        cuihu = february.filter(department__name="客户服务部", office__code="cuihu").first()
        if cuihu is not None:
            assert cuihu.approved_by.username == "deptmanager2"
        february = kexin
        assert deadlines_for(february).get().state == DeadlineState.MET

        analysis = QuarterlyAnalysis.objects.get(company=company, quarter=datetime.date(2026, 1, 1))
        assert analysis.state == AnalysisState.PUBLISHED
        assert analysis.data["total"] > 0

        counts = (MonthlySummary.objects.count(), QuarterlyAnalysis.objects.count())
        assert demo.seed(company) == 0
        assert (MonthlySummary.objects.count(), QuarterlyAnalysis.objects.count()) == counts

        # The demo pages render for the manager (who may approve) and QA.
        from django.urls import reverse

        from estates.models import User

        summary = march.get(department__name="客户服务部", office__code="kexin")
        client.force_login(User.objects.get(username="deptmanager"))
        page = client.get(summary.get_absolute_url())
        assert page.status_code == 200
        assert reverse("complaints:summary_approve", args=[summary.pk]) in page.content.decode()
        assert client.get(reverse("complaints:summary_print", args=[summary.pk])).status_code == 200
        assert client.get(reverse("complaints:summary_list")).status_code == 200
        client.force_login(User.objects.get(username="qa"))
        assert client.get(analysis.get_absolute_url()).status_code == 200
        assert client.get(reverse("complaints:analysis_export", args=[analysis.pk])).status_code == 200
        assert client.get(reverse("complaints:summary_export", args=[summary.pk])).status_code == 200
