"""Writes of the checks (Q1): opening them each period (idempotent, catching up), filling in the
figures the product knows, scoring items, recording findings and promise checks (Q5), signing off."""

from __future__ import annotations

import datetime
import logging
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clock.calendar import SHANGHAI
from estates.models import Office, User

from .. import figures, rules
from ..models import (
    Check,
    CheckFigure,
    CheckStandard,
    CheckState,
    Finding,
    FindingPhoto,
    Item,
    ItemResult,
    Outcome,
    PromiseCheck,
    ServiceOffering,
)
from .standards import latest_version

logger = logging.getLogger(__name__)

# Catching up never opens more than this many periods back (a standard created long ago).
MAX_CATCH_UP = 12
QA_ROLES = ("qa_staff", "qa_manager")


def is_qa(user: User) -> bool:
    return user.is_active and (user.role in QA_ROLES or user.is_superuser)


def _require_qa(user: User) -> None:
    if not is_qa(user):
        raise ValidationError(_("Only QA may do this."))


def _require_open(check: Check) -> None:
    if check.state != CheckState.OPEN:
        raise ValidationError(_("This check is signed off and can no longer be changed."))


# ---------------------------------------------------------------------------------------------
# Opening


def check_open(*, office: Office, standard: CheckStandard, period_start: datetime.date, now=None) -> tuple[Check, bool]:
    """The check of `office` for the period, made if missing (pinned to the latest version) with its
    figures read. Returns (check, created). Safe to run twice or twice at once (unique constraint)."""
    now = now or timezone.now()
    existing = Check.objects.filter(office=office, standard=standard, period_start=period_start).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            check = Check.objects.create(
                office=office,
                standard=standard,
                version=latest_version(standard),
                period=standard.period,
                period_start=period_start,
                opened_at=now,
            )
            check_refresh_figures(check=check, now=now)
    except IntegrityError:
        return Check.objects.get(office=office, standard=standard, period_start=period_start), False
    return check, True


def checks_open_due(*, now: datetime.datetime | None = None) -> int:
    """Q1 beat job: for every standard in use, one check per office and period up to the current
    one, from the standard's first version on (at most MAX_CATCH_UP back). Returns how many were made."""
    now = now or timezone.now()
    made = 0
    for standard in CheckStandard.objects.filter(active=True).select_related("company"):
        first = standard.versions.order_by("number").first()
        if first is None:
            continue
        periods = rules.periods_due(standard.period, first.created_at.astimezone(SHANGHAI).date(), now)
        periods = periods[-MAX_CATCH_UP:]
        for office in Office.objects.filter(company_id=standard.company_id):
            have = set(
                Check.objects.filter(office=office, standard=standard, period_start__in=periods).values_list(
                    "period_start", flat=True
                )
            )
            for start in periods:
                if start not in have:
                    made += int(check_open(office=office, standard=standard, period_start=start, now=now)[1])
    return made


# ---------------------------------------------------------------------------------------------
# Figures


def check_refresh_figures(*, check: Check, now: datetime.datetime | None = None) -> int:
    """Read every available provider's figures for the check's office and period into the check.
    A signed check keeps the figures it was signed with."""
    _require_open(check)
    now = now or timezone.now()
    start, end = rules.period_bounds(check.period, check.period_start)
    values = figures.read_all(check.office, start, end, now)
    keys = []
    for order, value in enumerate(values):
        keys.append(value.key)
        CheckFigure.objects.update_or_create(
            check_run=check,
            key=value.key,
            defaults={
                "label": value.label[:100],
                "value": value.value[:100],
                "source": value.source[:200],
                "order": order,
                "computed_at": now,
            },
        )
    # A source no longer installed is simply absent.
    CheckFigure.objects.filter(check_run=check).exclude(key__in=keys).delete()
    return len(values)


# ---------------------------------------------------------------------------------------------
# Scoring


def check_item_score(
    *, check: Check, by: User, item: Item, outcome: str, deduction: Decimal | None = None, note: str = ""
) -> ItemResult:
    _require_qa(by)
    _require_open(check)
    if item.section.version_id != check.version_id:
        raise ValidationError(_("That item is not in the standard version of this check."))
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose pass, fail or not applicable."))
    if outcome == Outcome.FAIL:
        deduction = item.points if deduction is None else deduction
        if not Decimal(0) <= deduction <= item.points:
            raise ValidationError(
                _("The deduction must be between 0 and the item's %(points)s points.") % {"points": item.points}
            )
    else:
        deduction = Decimal(0)
    result, _created = ItemResult.objects.update_or_create(
        check_run=check,
        item=item,
        defaults={
            "outcome": outcome,
            "deduction": deduction,
            "note": note,
            "scored_at": timezone.now(),
            "scored_by": by,
        },
    )
    return result


def check_score(check: Check) -> rules.Score:
    """The score of the check as it stands (rules.score_check on its version and results)."""
    results = {r.item_id: r for r in check.results.all()}
    sections = []
    for section in check.version.sections.prefetch_related("items"):
        items = []
        for item in section.items.all():
            r = results.get(item.pk)
            items.append(
                rules.ItemScore(
                    key=item.pk,
                    points=item.points,
                    red_line=item.red_line,
                    outcome=r.outcome if r else None,
                    deduction=r.deduction if r else None,
                )
            )
        sections.append(rules.SectionScore(key=section.pk, weight=section.weight, items=items))
    return rules.score_check(sections, check.version.pass_mark)


@transaction.atomic
def check_sign(*, check: Check, by: User, conclusion: str = "") -> Check:
    """QA signs the check off: every item scored, the figures read a last time, the score fixed."""
    _require_qa(by)
    check = Check.objects.select_for_update().get(pk=check.pk)
    _require_open(check)
    score = check_score(check)
    if score.unscored:
        raise ValidationError(
            _("%(n)s items are not scored yet; score every item (or mark it not applicable) first.")
            % {"n": score.unscored}
        )
    if score.score is None:
        raise ValidationError(_("Nothing applicable was scored: the check has no score."))
    check_refresh_figures(check=check)
    now = timezone.now()
    check.state = CheckState.SIGNED
    check.signed_at, check.signed_by = now, by
    check.score, check.passed, check.red_line_failed = score.score, score.passed, bool(score.red_lines_failed)
    check.conclusion = conclusion
    check.full_clean()
    check.save(update_fields=["state", "signed_at", "signed_by", "score", "passed", "red_line_failed", "conclusion"])
    return check


# ---------------------------------------------------------------------------------------------
# Findings and promise checks


def finding_add(
    *,
    check: Check,
    by: User,
    description: str,
    evidence: str = "",
    item: Item | None = None,
    form_token: uuid.UUID | None = None,
) -> Finding:
    """Q1: QA records a finding with its evidence (a double submit makes one finding)."""
    _require_qa(by)
    _require_open(check)
    if form_token is not None:
        existing = Finding.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
    if item is not None and item.section.version_id != check.version_id:
        raise ValidationError(_("That item is not in the standard version of this check."))
    finding = Finding(
        check_run=check,
        item=item,
        description=description,
        evidence=evidence,
        form_token=form_token,
        created_at=timezone.now(),
        created_by=by,
    )
    finding.full_clean()
    finding.save()
    return finding


MAX_PHOTOS_PER_FINDING = 10


def finding_add_photo(*, finding: Finding, by: User, upload) -> FindingPhoto:
    """Q1: a photo in evidence, checked (photos only, size, content matches type) and stored without
    its EXIF — a resident's home or a staff member's phone position never leaves in a photo."""
    # One way to strip a photo's metadata for every app: common.attachments re-encodes it with Pillow
    # (complaints' attachments and survey photos go the same way).
    from common.attachments import PHOTO_EXTENSIONS, check_upload, without_metadata

    _require_qa(by)
    _require_open(finding.check_run)
    if finding.photos.count() >= MAX_PHOTOS_PER_FINDING:
        raise ValidationError(_("A finding has at most %(n)s photos.") % {"n": MAX_PHOTOS_PER_FINDING})
    name, content_type = check_upload(upload, allowed=PHOTO_EXTENSIONS)
    clean = without_metadata(upload, content_type)
    photo = FindingPhoto(
        finding=finding,
        original_name=name,
        content_type=content_type,
        size=clean.size,
        uploaded_at=timezone.now(),
        uploaded_by=by,
    )
    photo.file.save(name, clean, save=False)
    photo.save()
    return photo


def promise_check_record(
    *, check: Check, by: User, offering: ServiceOffering, kept: bool, note: str = ""
) -> PromiseCheck:
    """Q5: QA records in the check whether one of the office's service promises was kept."""
    _require_qa(by)
    _require_open(check)
    if offering.office_id != check.office_id:
        raise ValidationError(_("That service belongs to another office."))
    result, _created = PromiseCheck.objects.update_or_create(
        check_run=check,
        offering=offering,
        defaults={"kept": kept, "note": note, "checked_at": timezone.now(), "checked_by": by},
    )
    return result
