"""Writes of the monthly archive (F2): one draft per office and month after the month ends (however
often beat fires, catching up missed months), the office's analysis, the manager's approval, after
which the archive and its figures are read-only.

The figures are aggregated in the database (GROUP BY), never by loading rows; the snapshot keeps
figures and ids only, and the page renders people live through the reader's office scope.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import Office, Role, User
from estates.scoping import user_can_see_office

from .. import deadlines
from ..models import Category, Entry, MonthlyArchive
from ..rules import (
    OPEN_STATES,
    SHANGHAI,
    ArchiveState,
    Channel,
    Kind,
    last_finished_month,
    month_bounds,
    month_start,
    months_between,
    next_month,
    pareto,
    previous_month,
)

# A new installation or a long outage catches up at most this many months per office.
CATCH_UP_MONTHS = 12
# How many earlier months the archive compares with.
COMPARE_MONTHS = 3
# How many items still open the snapshot lists by id.
OPEN_LIMIT = 200
APPROVER_ROLES = (Role.OFFICE_MANAGER,)


def _counts(qs, field: str) -> dict[str, int]:
    return {str(row[field]): row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by()}


def archive_figures(office: Office, month: datetime.date) -> dict:
    """The month's figures for one office: counts by kind, category and channel, the Pareto of
    categories, the change against the COMPARE_MONTHS months before, and the items still open."""
    start, end = month_bounds(month)
    entries = Entry.objects.filter(office=office, received_at__gte=start, received_at__lt=end)
    by_kind = _counts(entries, "kind")
    by_channel = _counts(entries, "channel")
    by_category_id = _counts(entries, "category_id")
    categories = {str(c.pk): c for c in Category.objects.filter(company_id=office.company_id)}
    by_category = [
        {
            "id": int(key) if key != "None" else None,
            "label": categories[key].label if key in categories else str(_("Uncategorised")),
            "count": n,
        }
        for key, n in by_category_id.items()
    ]
    total = sum(by_kind.values())
    earlier = []
    first = month
    for _i in range(COMPARE_MONTHS):
        first = previous_month(first)
    earlier_start, _unused = month_bounds(first)
    rows = (
        Entry.objects.filter(office=office, received_at__gte=earlier_start, received_at__lt=start)
        .values_list("received_at", "kind")
        .order_by()
    )
    # Grouped by local month in Python over at most three months of one office's ids and kinds
    # (a TruncMonth in the database would need the time zone tables on every backend).
    per_month: dict[str, dict[str, int]] = {}
    for received_at, kind in rows.iterator(chunk_size=2000):
        key = received_at.astimezone(SHANGHAI).strftime("%Y-%m")
        bucket = per_month.setdefault(key, {})
        bucket[kind] = bucket.get(kind, 0) + 1
    m = month
    for _i in range(COMPARE_MONTHS):
        m = previous_month(m)
        key = f"{m:%Y-%m}"
        kinds = per_month.get(key, {})
        earlier.append({"month": key, "total": sum(kinds.values()), "by_kind": kinds})
    still_open = Entry.objects.filter(office=office, state__in=OPEN_STATES, received_at__lt=end)
    return {
        "month": f"{month:%Y-%m}",
        "total": total,
        "by_kind": [{"code": k.value, "count": by_kind.get(k.value, 0)} for k in Kind],
        "by_channel": [{"code": c.value, "count": by_channel.get(c.value, 0)} for c in Channel],
        "by_category": sorted(by_category, key=lambda row: -row["count"]),
        "pareto": pareto([(row["label"], row["count"]) for row in by_category]),
        "earlier": earlier,
        "open_count": still_open.count(),
        "open_ids": list(still_open.order_by("received_at", "pk").values_list("pk", flat=True)[:OPEN_LIMIT]),
    }


def archive_generate(*, office: Office, month: datetime.date) -> tuple[MonthlyArchive, bool]:
    """The draft archive of `month` for `office`, made once (the unique constraint decides a race)."""
    month = month_start(month)
    existing = MonthlyArchive.objects.filter(office=office, month=month).first()
    if existing is not None:
        return existing, False
    archive = MonthlyArchive(
        office=office, month=month, data=archive_figures(office, month), generated_at=timezone.now()
    )
    try:
        with transaction.atomic():
            archive.save()
            deadlines.sync(archive)
    except IntegrityError:
        return MonthlyArchive.objects.get(office=office, month=month), False
    return archive, True


def generate_due_archives(now: datetime.datetime | None = None) -> int:
    """Every office's archive of every finished month it lacks, from the month after its last
    archive (or its first entry) to last month, at most CATCH_UP_MONTHS back. Idempotent."""
    now = now or timezone.now()
    last = last_finished_month(now)
    oldest = last
    for _i in range(CATCH_UP_MONTHS - 1):
        oldest = previous_month(oldest)
    made = 0
    newest = {
        row["office_id"]: row["m"]
        for row in MonthlyArchive.objects.values("office_id").annotate(m=Max("month")).order_by()
    }
    first_entry = {
        row["office_id"]: row["m"]
        for row in Entry.objects.values("office_id").annotate(m=Min("received_at")).order_by()
    }
    for office in Office.objects.order_by("pk"):
        if office.pk in newest:
            start = next_month(newest[office.pk])
        elif office.pk in first_entry:
            start = month_start(first_entry[office.pk].astimezone(SHANGHAI).date())
        else:
            start = last
        for month in months_between(max(start, oldest), last):
            _archive, created = archive_generate(office=office, month=month)
            made += int(created)
    return made


def _check_draft(archive: MonthlyArchive, by: User) -> None:
    if not user_can_see_office(by, archive.office_id):
        raise ValidationError(_("This archive belongs to another management office."))
    if not archive.is_draft:
        raise ValidationError(_("The archive is approved and can no longer change."))


def archive_refresh(*, archive: MonthlyArchive, by: User) -> MonthlyArchive:
    """Recompute a draft's figures (late entries of the month, items closed since)."""
    _check_draft(archive, by)
    data = archive_figures(archive.office, archive.month)
    MonthlyArchive.objects.filter(pk=archive.pk, state=ArchiveState.DRAFT).update(data=data)
    archive.refresh_from_db()
    return archive


def archive_save_analysis(
    *, archive: MonthlyArchive, by: User, analysis: str, meeting_note: str = ""
) -> MonthlyArchive:
    """F2: the office's analysis of the main factors hurting service (and the work meeting, if any)."""
    _check_draft(archive, by)
    changed = MonthlyArchive.objects.filter(pk=archive.pk, state=ArchiveState.DRAFT).update(
        analysis=(analysis or "").strip(), meeting_note=(meeting_note or "").strip()
    )
    if changed != 1:
        raise ValidationError(_("The archive is approved and can no longer change."))
    archive.refresh_from_db()
    return archive


def may_approve(user: User, archive: MonthlyArchive) -> bool:
    return user_can_see_office(user, archive.office_id) and (user.is_superuser or user.role in APPROVER_ROLES)


def archive_approve(*, archive: MonthlyArchive, by: User) -> MonthlyArchive:
    """F2: the office manager approves; the figures are frozen as they stand and the archive becomes
    read-only. The analysis is required."""
    _check_draft(archive, by)
    if not may_approve(by, archive):
        raise ValidationError(_("Only the office manager approves the monthly archive."))
    if not archive.analysis.strip():
        raise ValidationError({"analysis": _("Write the analysis of the main factors before approval.")})
    data = archive_figures(archive.office, archive.month)
    with transaction.atomic():
        changed = MonthlyArchive.objects.filter(pk=archive.pk, state=ArchiveState.DRAFT).update(
            state=ArchiveState.APPROVED, data=data, approved_by=by, approved_at=timezone.now()
        )
        if changed != 1:
            raise ValidationError(_("The archive is approved and can no longer change."))
        archive.refresh_from_db()
        deadlines.sync(archive)
    return archive
