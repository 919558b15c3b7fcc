"""Writes of Q4: light repair records and their monthly return visits. Each month with repairs has
a RepairMonth whose clock deadline (within that month) stays live until every repair is visited."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import Office, Unit, User

from .. import deadlines, rules
from ..models import RepairMonth, RepairRecord, RepairVisit


def _month(office: Office, month: datetime.date) -> RepairMonth:
    try:
        with transaction.atomic():
            found, _created = RepairMonth.objects.get_or_create(
                office=office, month=month, defaults={"opened_at": timezone.now()}
            )
    except IntegrityError:  # made by a concurrent request
        found = RepairMonth.objects.get(office=office, month=month)
    return found


def repair_month_update(*, office: Office, month: datetime.date) -> RepairMonth:
    """Q4: the month is complete when every repair done in it has its return visit; the deadline
    follows (deadline plan, synced in the caller's transaction)."""
    rm = _month(office, month)
    end = rules.add_months(month, 1)
    repairs = RepairRecord.objects.filter(office=office, done_on__gte=month, done_on__lt=end)
    complete = repairs.exists() and not repairs.filter(visit__isnull=True).exists()
    if complete and rm.completed_at is None:
        rm.completed_at = timezone.now()
        rm.save(update_fields=["completed_at"])
    elif not complete and rm.completed_at is not None:
        rm.completed_at = None
        rm.save(update_fields=["completed_at"])
    deadlines.sync(rm)
    return rm


@transaction.atomic
def repair_record_create(
    *,
    office: Office,
    by: User,
    what: str,
    repairer: str,
    done_on: datetime.date,
    unit: Unit | None = None,
    form_token: uuid.UUID | None = None,
) -> RepairRecord:
    if form_token is not None:
        existing = RepairRecord.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
    if unit is not None and unit.building.community.office_id != office.pk:
        raise ValidationError({"unit": _("That unit belongs to another office.")})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A repair cannot be done in the future.")})
    record = RepairRecord(
        office=office,
        unit=unit,
        what=what,
        repairer=repairer.strip(),
        done_on=done_on,
        form_token=form_token,
        created_at=timezone.now(),
        created_by=by,
    )
    record.full_clean()
    record.save()
    repair_month_update(office=office, month=rules.month_start(done_on))
    return record


@transaction.atomic
def repair_visit_record(
    *,
    repair: RepairRecord,
    by: User,
    reached: bool,
    attitude: int | None = None,
    punctuality: int | None = None,
    quality: int | None = None,
    note: str = "",
) -> RepairVisit:
    """Q4: the return visit of one repair (one per repair; recording again corrects it)."""
    if reached and None in (attitude, punctuality, quality):
        raise ValidationError(_("Score attitude, punctuality and quality (1-5) when the resident was reached."))
    if not reached:
        attitude = punctuality = quality = None
    visit, _created = RepairVisit.objects.update_or_create(
        repair=repair,
        defaults={
            "visited_at": timezone.now(),
            "visited_by": by,
            "reached": reached,
            "attitude": attitude,
            "punctuality": punctuality,
            "quality": quality,
            "note": note,
        },
    )
    visit.full_clean()
    repair_month_update(office=repair.office, month=rules.month_start(repair.done_on))
    return visit


@transaction.atomic
def repairs_from_register(*, office: Office, month: datetime.date, by: User) -> int:
    """Q4: the month's register service requests of the repairs category that were done, as repair
    records (once each: the entry link is unique). Returns how many were taken."""
    from feedback.models import Entry
    from feedback.rules import Kind

    start, end = rules.period_bounds("monthly", month)
    taken = set(RepairRecord.objects.filter(office=office, entry__isnull=False).values_list("entry_id", flat=True))
    entries = (
        Entry.objects.filter(
            office=office, kind=Kind.SERVICE, category__code="repairs", done_at__gte=start, done_at__lt=end
        )
        .exclude(pk__in=taken)
        .select_related("assignee", "department")
        .order_by("done_at", "pk")
    )
    made = 0
    for entry in entries:
        who = entry.assignee or entry.department
        record = RepairRecord(
            office=office,
            unit=entry.unit,
            what=(entry.content or "")[:200],
            repairer=str(who)[:50] if who else "—",
            done_on=timezone.localtime(entry.done_at).date(),
            entry=entry,
            created_at=timezone.now(),
            created_by=by,
        )
        record.full_clean()
        record.save()
        made += 1
    if made:
        repair_month_update(office=office, month=month)
    return made
