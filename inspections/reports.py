"""Reports (Q1-Q4): an office's scorecard over months and the company comparison of one month.
Every figure is aggregated in the database, one GROUP BY per source, whatever the number of rows."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth

from . import rules
from .models import CallbackItem, Check, Finding, RepairRecord


def _months(last: datetime.date, count: int) -> list[datetime.date]:
    return [rules.add_months(last, -n) for n in range(count - 1, -1, -1)]


def _rows(office_ids: list[int], first: datetime.date, end: datetime.date) -> dict:
    """{(office_id, month): {figures}} for monthly checks, findings, call-backs and repair visits."""
    data: dict = defaultdict(dict)
    for row in (
        Check.objects.filter(office_id__in=office_ids, period="monthly", period_start__gte=first, period_start__lt=end)
        .values("office_id", "period_start")
        .annotate(
            score=Avg("score"), signed=Count("pk", filter=Q(state="signed")), passed=Count("pk", filter=Q(passed=True))
        )
    ):
        data[(row["office_id"], row["period_start"])].update(
            score=row["score"], signed=row["signed"], passed=row["passed"]
        )
    for row in (
        Finding.objects.filter(
            check_run__office_id__in=office_ids, check_run__period_start__gte=first, check_run__period_start__lt=end
        )
        .values("check_run__office_id", "check_run__period_start")
        .annotate(n=Count("pk"), closed=Count("pk", filter=Q(corrective_action__state="verified")))
    ):
        data[(row["check_run__office_id"], row["check_run__period_start"])].update(
            findings=row["n"], findings_closed=row["closed"], findings_open=row["n"] - row["closed"]
        )
    for row in (
        CallbackItem.objects.filter(sample__office_id__in=office_ids, sample__month__gte=first, sample__month__lt=end)
        .values("sample__office_id", "sample__month")
        .annotate(called=Count("pk", filter=~Q(outcome="")), failed=Count("pk", filter=Q(outcome="failed")))
    ):
        data[(row["sample__office_id"], row["sample__month"])].update(called=row["called"], failed=row["failed"])
    repairs = (
        RepairRecord.objects.filter(office_id__in=office_ids, done_on__gte=first, done_on__lt=end)
        .annotate(month=TruncMonth("done_on"))
        .values("office_id", "month")
        .annotate(
            repairs=Count("pk"),
            visited=Count("visit"),
            attitude=Avg("visit__attitude"),
            punctuality=Avg("visit__punctuality"),
            quality=Avg("visit__quality"),
        )
    )
    for row in repairs:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        scores = [row[k] for k in ("attitude", "punctuality", "quality") if row[k] is not None]
        data[(row["office_id"], month)].update(
            repairs=row["repairs"], visited=row["visited"], repair_score=sum(scores) / len(scores) if scores else None
        )
    return data


def scorecard(office_id: int, last: datetime.date, count: int = 12) -> list[dict]:
    """One office, month by month (oldest first): check score, findings, call-back failures, repairs."""
    months = _months(last, count)
    data = _rows([office_id], months[0], rules.add_months(last, 1))
    return [{"month": m, **data.get((office_id, m), {})} for m in months]


def comparison(offices, month: datetime.date) -> list[dict]:
    """Every office of the company for one month, best score first (offices without a score last)."""
    offices = list(offices)
    data = _rows([o.pk for o in offices], month, rules.add_months(month, 1))
    rows = [{"office": o, **data.get((o.pk, month), {})} for o in offices]
    return sorted(rows, key=lambda r: (r.get("score") is None, -(r.get("score") or 0), r["office"].name))
