"""Writes of the check standards (Q1). A version a check has been run against is never changed:
every edit goes to `editable_version`, which copies a used version into a new one first."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import Company, User

from .. import defaults
from ..models import CheckStandard, Item, PeriodKind, Section, StandardVersion


def latest_version(standard: CheckStandard) -> StandardVersion:
    return standard.versions.order_by("-number").first()


@transaction.atomic
def standard_create(
    *,
    company: Company,
    name: str,
    period: str = PeriodKind.MONTHLY,
    by: User | None = None,
    sections=(),
    active: bool = True,
) -> CheckStandard:
    standard = CheckStandard(company=company, name=name.strip(), period=period, active=active)
    standard.full_clean()
    standard.save()
    version = StandardVersion.objects.create(standard=standard, number=1, created_at=timezone.now(), created_by=by)
    for s_order, (title, weight, items) in enumerate(sections):
        section = Section.objects.create(version=version, order=s_order, title=title, weight=Decimal(weight))
        for i_order, (text, criteria, points, red_line, figure) in enumerate(items):
            Item.objects.create(
                section=section,
                order=i_order,
                text=text,
                criteria=criteria,
                points=Decimal(points),
                red_line=red_line,
                figure_key=figure,
            )
    return standard


def default_standard_ensure(*, company: Company, by: User | None = None) -> CheckStandard:
    """The shipped customer-opinion standard for `company` (idempotent)."""
    existing = CheckStandard.objects.filter(company=company, name=defaults.NAME).first()
    if existing is not None:
        return existing
    return standard_create(company=company, name=defaults.NAME, by=by, sections=defaults.SECTIONS)


@transaction.atomic
def editable_version(*, standard: CheckStandard, by: User | None, note: str = "") -> tuple[StandardVersion, dict]:
    """The version edits go to, and a map old pk -> new object ({"section": {...}, "item": {...}}).
    If any check is pinned to the latest version, it is copied into version n+1 first (Q1)."""
    # Lock the standard row: two editors at once must not both make version n+1.
    CheckStandard.objects.select_for_update().filter(pk=standard.pk).first()
    current = latest_version(standard)
    if not current.checks.exists():
        return current, {"section": {}, "item": {}}
    new = StandardVersion.objects.create(
        standard=standard,
        number=current.number + 1,
        pass_mark=current.pass_mark,
        note=note[:200],
        created_at=timezone.now(),
        created_by=by,
    )
    mapping: dict = {"section": {}, "item": {}}
    for section in current.sections.prefetch_related("items"):
        copy = Section.objects.create(version=new, order=section.order, title=section.title, weight=section.weight)
        mapping["section"][section.pk] = copy
        for item in section.items.all():
            mapping["item"][item.pk] = Item.objects.create(
                section=copy,
                order=item.order,
                text=item.text,
                criteria=item.criteria,
                points=item.points,
                red_line=item.red_line,
                figure_key=item.figure_key,
            )
    return new, mapping


def _target(version: StandardVersion, mapping: dict, kind: str, pk: int | None, model):
    if pk is None:
        return None
    if pk in mapping[kind]:
        return mapping[kind][pk]
    lookup = {"version": version} if kind == "section" else {"section__version": version}
    obj = model.objects.filter(pk=pk, **lookup).first()
    if obj is None:
        raise ValidationError(_("That part of the standard is not in its latest version."))
    return obj


@transaction.atomic
def item_save(
    *,
    standard: CheckStandard,
    by: User,
    section_id: int,
    item_id: int | None = None,
    text: str,
    criteria: str = "",
    points: Decimal,
    red_line: bool = False,
    figure_key: str = "",
) -> Item:
    """Add an item to a section, or change one; a used version is copied first."""
    version, mapping = editable_version(standard=standard, by=by, note=_("Item changed"))
    section = _target(version, mapping, "section", section_id, Section)
    item = _target(version, mapping, "item", item_id, Item) or Item(section=section, order=section.items.count() + 1)
    item.section = section
    item.text, item.criteria, item.points = text, criteria, points
    item.red_line, item.figure_key = red_line, figure_key
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_remove(*, standard: CheckStandard, by: User, item_id: int) -> StandardVersion:
    version, mapping = editable_version(standard=standard, by=by, note=_("Item removed"))
    _target(version, mapping, "item", item_id, Item).delete()
    return version


@transaction.atomic
def section_save(
    *, standard: CheckStandard, by: User, section_id: int | None = None, title: str, weight: Decimal
) -> Section:
    version, mapping = editable_version(standard=standard, by=by, note=_("Section changed"))
    section = _target(version, mapping, "section", section_id, Section) or Section(
        version=version, order=version.sections.count() + 1
    )
    section.title, section.weight = title, weight
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def pass_mark_set(*, standard: CheckStandard, by: User, pass_mark: Decimal) -> StandardVersion:
    version, _mapping = editable_version(standard=standard, by=by, note=_("Pass mark changed"))
    version.pass_mark = pass_mark
    version.full_clean()
    version.save(update_fields=["pass_mark"])
    return version


def standard_set_active(*, standard: CheckStandard, by: User, active: bool) -> CheckStandard:
    """In use: beat opens its checks from the current period on; not in use: no new checks."""
    if active and not Item.objects.filter(section__version=latest_version(standard)).exists():
        raise ValidationError(_("Add at least one item before putting the standard in use."))
    standard.active = active
    standard.save(update_fields=["active"])
    return standard
