"""Reads of QA inspections. Every lookup is office-scoped (estates.scoping) and answers 404 outside
the user's offices; standards are company-scoped the same way."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404

from estates.models import User
from estates.scoping import get_for_user, scoped

from . import figures, rules
from .models import (
    CallbackItem,
    CallbackSample,
    Check,
    CheckStandard,
    Finding,
    Item,
    RepairRecord,
    Section,
    ServiceOffering,
)


def checks_for(user: User) -> QuerySet[Check]:
    return scoped(Check.objects.all(), user)


def check_for_user(user: User, pk: Any) -> Check:
    return get_for_user(Check.objects.select_related("office", "version", "standard", "signed_by"), user, pk=pk)


def check_list(user: User, month: datetime.date | None = None, office_id: int | None = None) -> QuerySet[Check]:
    """One period's checks (a month, or the quarter it starts): the list pages by period, so a page
    holds at most one check per office and standard."""
    qs = checks_for(user).select_related("office", "standard", "version", "signed_by")
    if month is not None:
        qs = qs.filter(Q(period_start=month) | Q(period="quarterly", period_start=rules.quarter_start(month)))
    if office_id:
        qs = qs.filter(office_id=office_id)
    return qs.annotate(n_findings=Count("findings")).order_by("office__name", "standard__name")


def latest_check_month(user: User) -> datetime.date | None:
    return (
        checks_for(user)
        .filter(period="monthly")
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )


@dataclass
class ItemRow:
    item: Item
    result: Any = None
    figures: list = field(default_factory=list)


@dataclass
class SectionRow:
    section: Section
    rows: list[ItemRow]
    score: Any = None


def check_sheet(check: Check) -> tuple[list[SectionRow], list]:
    """The check's sections and items with their results and the figures each item reads; and the
    figures no item points at. Four queries whatever the size of the standard."""
    results = {r.item_id: r for r in check.results.select_related("scored_by")}
    figs = list(check.figures.all())
    used: set[int] = set()
    sections = []
    for section in check.version.sections.prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("order", "pk"))
    ):
        rows = []
        for item in section.items.all():
            mine = [f for f in figs if item.figure_key and figures.provider_of(f.key) == item.figure_key]
            used.update(f.pk for f in mine)
            rows.append(ItemRow(item=item, result=results.get(item.pk), figures=mine))
        sections.append(SectionRow(section=section, rows=rows))
    return sections, [f for f in figs if f.pk not in used]


def findings_of(check: Check) -> QuerySet[Finding]:
    return check.findings.select_related("item", "created_by").order_by("pk")


def standards_for(user: User) -> QuerySet[CheckStandard]:
    if not user.is_authenticated or not user.company_id:
        return CheckStandard.objects.none()
    return CheckStandard.objects.filter(company_id=user.company_id)


def standard_for_user(user: User, pk: Any) -> CheckStandard:
    try:
        return standards_for(user).get(pk=pk)
    except (CheckStandard.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# ---------------------------------------------------------------------------------------------
# Call-backs


def samples_for(user: User) -> QuerySet[CallbackSample]:
    return scoped(CallbackSample.objects.select_related("office", "drawn_by"), user)


def sample_for_user(user: User, pk: Any) -> CallbackSample:
    return get_for_user(CallbackSample.objects.select_related("office"), user, pk=pk)


def callback_item_for_user(user: User, pk: Any) -> CallbackItem:
    return get_for_user(CallbackItem.objects.select_related("sample__office"), user, pk=pk)


def callback_queue(sample: CallbackSample) -> QuerySet[CallbackItem]:
    return sample.items.select_related(
        "resident__unit__building__community",
        "complaint__unit__building__community",
        "entry__unit__building__community",
        "called_by",
        "finding",
    ).order_by("kind", "order")


# ---------------------------------------------------------------------------------------------
# Repairs (Q4)


def repairs_for(user: User) -> QuerySet[RepairRecord]:
    return scoped(RepairRecord.objects.all(), user)


def repair_for_user(user: User, pk: Any) -> RepairRecord:
    return get_for_user(RepairRecord.objects.select_related("office"), user, pk=pk)


def repair_list(user: User, month: datetime.date, office_id: int | None = None) -> QuerySet[RepairRecord]:
    end = rules.add_months(month, 1)
    qs = repairs_for(user).filter(done_on__gte=month, done_on__lt=end)
    if office_id:
        qs = qs.filter(office_id=office_id)
    return qs.select_related("office", "unit__building__community", "visit", "visit__visited_by").order_by(
        "done_on", "pk"
    )


def repairer_figures(user: User, month: datetime.date, office_id: int | None = None) -> list[dict]:
    """Q4: per repairer, the month's repairs, visits and mean scores (one GROUP BY query)."""
    qs = repair_list(user, month, office_id).order_by()
    return list(
        qs.values("office__name", "repairer")
        .annotate(
            repairs=Count("pk"),
            visited=Count("visit"),
            attitude=Avg("visit__attitude"),
            punctuality=Avg("visit__punctuality"),
            quality=Avg("visit__quality"),
        )
        .order_by("office__name", "repairer")
    )


# ---------------------------------------------------------------------------------------------
# Services (Q5)


def offerings_for(user: User) -> QuerySet[ServiceOffering]:
    return scoped(ServiceOffering.objects.select_related("office"), user)


def offering_for_user(user: User, pk: Any) -> ServiceOffering:
    return get_for_user(ServiceOffering.objects.select_related("office"), user, pk=pk)


def finding_for_user(user: User, pk: Any) -> Finding:
    return get_for_user(Finding.objects.select_related("check_run__office", "corrective_action"), user, pk=pk)


def annotate_findings(user: User, findings: list[Finding]) -> list[Finding]:
    """What the page shows of each finding's corrective action: its live clock deadline, and whether
    the reader may record it done (the office) or verify / send it back (QA). One query."""
    from django.contrib.contenttypes.models import ContentType

    from clock.models import Deadline
    from feedback.models import CorrectiveAction
    from feedback.services.actions import may_record_done, may_verify

    ids = [f.corrective_action_id for f in findings if f.corrective_action_id]
    deadlines: dict[int, Deadline] = {}
    if ids:
        for d in Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(CorrectiveAction), subject_id__in=ids
        ).order_by("opened_at", "pk"):
            deadlines[int(d.subject_id)] = d  # the latest wins
    for f in findings:
        action = f.corrective_action
        f.deadline = deadlines.get(f.corrective_action_id) if action else None
        f.may_done = bool(action) and action.state == "open" and may_record_done(user, action)
        f.may_verify = bool(action) and action.state == "done" and may_verify(user, action)
    return findings


def open_actions_for(user: User, limit: int = 50) -> QuerySet[Finding]:
    """Findings of the user's offices whose corrective action is open or awaiting verification,
    earliest due first (the office's to-do from QA's checks)."""
    return (
        scoped(Finding.objects.all(), user)
        .filter(corrective_action__state__in=("open", "done"))
        .select_related("check_run__office", "corrective_action__owner")
        .order_by("corrective_action__due_on", "pk")[:limit]
    )


def photo_for_user(user: User, pk: Any):
    from .models import FindingPhoto

    return get_for_user(FindingPhoto.objects.all(), user, pk=pk)


def letter_promises(check: Check, limit: int = 100) -> list:
    """Q3: the office's open-letter promises (approved or posted letters) not yet verified, and those
    verified during the check's period, earliest promised first. Empty without the surveys app."""
    from django.apps import apps

    if not apps.is_installed("surveys"):
        return []
    from surveys.models import OpenLetter, OpenLetterPromise

    start, end = rules.period_bounds(check.period, check.period_start)
    return list(
        OpenLetterPromise.objects.filter(
            letter__round__office_id=check.office_id,
            letter__state__in=(OpenLetter.State.APPROVED, OpenLetter.State.POSTED),
        )
        .filter(~Q(state=OpenLetterPromise.State.VERIFIED) | Q(verified_at__gte=start, verified_at__lt=end))
        .select_related("letter__round__community", "verified_by")
        .order_by("due_on", "letter_id", "position")[:limit]
    )
