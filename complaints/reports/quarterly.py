"""Writes of the C15 quarterly analyses and of published complaints (split from services.py, which
keeps the C14 monthly summaries; STYLE 19). Generation is idempotent and catches up as C14's does; state
changes are compare-and-set updates on the state the caller saw."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from clock.deadlines import deadline_sync
from clock.notifications import TEXT, notify
from common.db import create_once
from estates.models import Company, Role, User
from estates.scoping import user_can_see_office

from .. import rules
from ..models import (
    AnalysisState,
    Complaint,
    ComplaintEvent,
    ComplaintPublication,
    ComplaintSettings,
    EventKind,
    PublicationReason,
    QuarterlyAnalysis,
)
from ..redaction import complainant_data, redact
from . import selectors as sel


def analysis_due_at(company: Company, quarter: datetime.date) -> datetime.datetime:
    days = ComplaintSettings.objects.filter(company=company).values_list("analysis_due_days", flat=True).first()
    return rules.analysis_due(quarter, days)


def quarterly_analysis_generate(
    *, company: Company, quarter: datetime.date, now: datetime.datetime | None = None
) -> tuple[QuarterlyAnalysis, bool]:
    """The draft analysis of `quarter` (made once); opens QA's C15 deadline from the quarter's end."""
    now = now or timezone.now()
    quarter = rules.quarter_start(quarter)
    end = rules.quarter_bounds(quarter)[1]
    if end > now:
        raise ValidationError(_("A quarter is analysed only after it has ended."))
    find = QuarterlyAnalysis.objects.filter(company=company, quarter=quarter).first
    existing = find()
    if existing is not None:
        return existing, False
    analysis = QuarterlyAnalysis(
        company=company,
        quarter=quarter,
        state=AnalysisState.DRAFT,
        data=sel.quarterly_figures(company, quarter, now),
        generated_at=now,
    )
    analysis.full_clean(validate_constraints=False)

    def create() -> QuarterlyAnalysis:
        analysis.save()
        _sync_c15(analysis, now=min(end, timezone.now()))
        return analysis

    analysis, created = create_once(create, find)
    return analysis, created


def _sync_c15(analysis: QuarterlyAnalysis, now: datetime.datetime | None = None) -> None:
    """C15 through the clock: the analysis's plan (rules.analysis_deadline_plan), synced."""
    plan = rules.analysis_deadline_plan(analysis, due_at=analysis_due_at(analysis.company, analysis.quarter))
    done = [rules.RULE_C15] if analysis.state == AnalysisState.PUBLISHED else []
    deadline_sync(analysis, plan, done=done, now=now)


def quarterly_analyses_generate(*, now: datetime.datetime | None = None) -> int:
    """C15, run by beat every hour: every missing draft of the finished quarters back to
    rules.CATCH_UP_MONTHS (not before the company's first analysis), for every company that has
    management offices."""
    now = now or timezone.now()
    made = 0
    for company in Company.objects.filter(offices__isnull=False).distinct():
        first = QuarterlyAnalysis.objects.filter(company=company).order_by("quarter").values_list("quarter", flat=True)
        done = set(QuarterlyAnalysis.objects.filter(company=company).values_list("quarter", flat=True))
        for quarter in rules.quarters_to_catch_up(now, first.first()):
            if quarter in done:
                continue
            _analysis, created = quarterly_analysis_generate(company=company, quarter=quarter, now=now)
            made += int(created)
    return made


def quarterly_analysis_refresh(*, analysis: QuarterlyAnalysis, by: User) -> QuarterlyAnalysis:
    if not sel.may_analyse(by):
        raise ValidationError(_("Only QA analyses the quarter's complaints (C15)."))
    now = timezone.now()
    changed = QuarterlyAnalysis.objects.filter(pk=analysis.pk, state=AnalysisState.DRAFT).update(
        data=sel.quarterly_figures(analysis.company, analysis.quarter, now), generated_at=now
    )
    if changed != 1:
        raise ValidationError(_("This analysis is published: its figures are final."))
    analysis.refresh_from_db()
    return analysis


def _company_readers(company: Company):
    """Who is told of a publication: managers and the company roles (everybody sees the lists)."""
    return User.objects.filter(
        is_active=True,
        company=company,
        role__in=[
            Role.DEPT_MANAGER,
            Role.OFFICE_MANAGER,
            Role.QA_STAFF,
            Role.QA_MANAGER,
            Role.MGMT_REP,
            Role.ASSISTANT_GM,
        ],
    )


@transaction.atomic
def quarterly_analysis_publish(*, analysis: QuarterlyAnalysis, by: User, conclusions: str) -> QuarterlyAnalysis:
    """C15: QA writes its conclusions and publishes the analysis internally; meets C15."""
    if not sel.may_analyse(by):
        raise ValidationError(_("Only QA analyses the quarter's complaints (C15)."))
    if not conclusions.strip():
        raise ValidationError({"conclusions": _("Write QA's conclusions before publishing.")})
    now = timezone.now()
    changed = QuarterlyAnalysis.objects.filter(pk=analysis.pk, state=AnalysisState.DRAFT).update(
        state=AnalysisState.PUBLISHED, conclusions=conclusions.strip(), published_by=by, published_at=now
    )
    if changed != 1:
        raise ValidationError(_("This analysis is already published."))
    analysis.refresh_from_db()
    _sync_c15(analysis, now=now)  # met; a late publication stays late
    notify(
        recipients=[u for u in _company_readers(analysis.company) if u.pk != by.pk],
        key=f"c15:{analysis.pk}:published",
        title=N_("Published: quarterly complaint analysis %(quarter)s"),
        body=[(TEXT, {"text": conclusions.strip()[:400]})],
        params={"quarter": analysis.label},
        link=analysis.get_absolute_url(),
    )
    return analysis


@transaction.atomic
def complaint_publish(*, complaint: Complaint, by: User, reason: str, title: str, text: str) -> ComplaintPublication:
    """C15: QA publishes an important or representative complaint promptly, with its own short text."""
    if not sel.may_analyse(by) or not user_can_see_office(by, complaint.office_id):
        raise ValidationError(_("Only QA publishes a complaint (C15)."))
    if reason not in PublicationReason.values:
        raise ValidationError({"reason": _("Say why it is published: important or representative.")})
    # Issue 9 (PIPL): whatever was typed, the complainant's name, phone and unit never go out; the
    # page showed this same redaction as its preview.
    known = complainant_data(complaint)
    title, text = redact(title, **known).strip(), redact(text, **known).strip()
    if not title or not text:
        raise ValidationError(_("Write a title and a short text to publish."))
    now = timezone.now()
    publication = ComplaintPublication(
        complaint=complaint,
        company_id=complaint.office.company_id,
        reason=reason,
        title=title[:200],
        text=text,
        published_by=by,
        published_at=now,
    )
    publication.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError:
        raise ValidationError(_("This complaint is already published.")) from None
    event = ComplaintEvent(
        complaint=complaint,
        at=now,
        actor=by,
        kind=EventKind.NOTE,
        note=_("Published (C15): %(title)s") % {"title": publication.title},
    )
    event.full_clean()
    event.save()
    notify(
        recipients=[u for u in _company_readers(complaint.office.company) if u.pk != by.pk],
        key=f"c15:publication:{publication.pk}",
        title=N_("Published complaint: %(title)s"),
        body=[(TEXT, {"text": publication.text[:400]})],
        params={"title": publication.title},
        link=reverse("complaints:published"),
    )
    return publication
