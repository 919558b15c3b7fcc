"""Excel import of buildings, units and residents (foundation issue, section 3).

One sheet, a header row (Chinese, or English), one row per unit:

    小区 | 楼栋 | 房号 | 楼层 | 入住 | 业主外住 | 住户姓名 | 联系电话 | 首选联系方式

Three steps, so that nothing is written unless every row is good:
1. `read_workbook(file)`: the file's rows as dicts of text (a file-level problem raises ImportFileError);
2. `parse(rows, office=...)`: pure validation of every row, collecting every error with its row number
   (the only database reads: the office's communities, once);
3. `save(plan)`: the writes, in one transaction, a fixed number of queries per community.
`import_estates` (the service the view calls) runs the three.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .import_workbook import (  # noqa: F401 (the importer's API: views and tests read these here)
    COLUMN_LABELS,
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    XLSX_CONTENT_TYPE,
    ImportFileError,
    cell_text,
    norm_header,
    read_workbook,
    template_workbook,
)
from .models import Building, Community, ContactPreference, Office, Resident, Unit, User
from .scoping import user_can_see_office

_YES = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_NO = {"否", "n", "no", "false", "0", "×", "无", "不"}
_CONTACT = {
    ContactPreference.PHONE: ("电话", "手机", "phone"),
    ContactPreference.SMS: ("短信", "sms", "textmessage", "text"),
    ContactPreference.VISIT: ("上门", "家访", "visit", "homevisit"),
    ContactPreference.MAIL: ("信件", "邮寄", "信函", "mail", "letter"),
    ContactPreference.EMAIL: ("电子邮件", "邮件", "email", "e-mail"),
    ContactPreference.WECHAT: ("微信", "wechat"),
}
_CONTACT_LOOKUP = {alias: choice.value for choice, aliases in _CONTACT.items() for alias in aliases}
_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{4,28}$")


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet row number, as the office sees it in Excel
    message: str


@dataclass
class ParsedRow:
    row: int
    community: Community
    building: str
    number: str
    floor: int | None
    occupied: bool
    owner_absent: bool
    name: str
    phone: str
    preferred_contact: str


@dataclass
class ImportPlan:
    office: Office
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass
class ImportResult:
    plan: ImportPlan
    buildings_created: int = 0
    units_created: int = 0
    units_updated: int = 0
    residents_created: int = 0
    residents_updated: int = 0
    saved: bool = False

    @property
    def errors(self) -> list[RowError]:
        return self.plan.errors


# 1. Reading -------------------------------------------------------------------------------------


def _yes_no(value: str, default: bool) -> bool | None:
    if value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    return None


def parse(rows: list[tuple[int, dict[str, str]]], *, office: Office) -> ImportPlan:
    """Validate every row; collect every error (row number and reason), not just the first."""
    plan = ImportPlan(office=office)
    # Scoped: only the communities of the importing office can be named (estates.scoping).
    communities = {c.name: c for c in Community.objects.filter(office=office)}
    seen: dict[tuple[str, str, str], int] = {}
    for row_number, record in rows:
        reasons: list[str] = []
        community_name = record.get("community", "")
        community = communities.get(community_name)
        if not community_name:
            reasons.append(_("the community is missing"))
        elif community is None:
            reasons.append(
                _("no community named “%(name)s” in %(office)s") % {"name": community_name, "office": office.name}
            )
        building = record.get("building", "")
        if not building:
            reasons.append(_("the building is missing"))
        elif len(building) > Building._meta.get_field("name").max_length:
            reasons.append(_("the building name is too long"))
        number = record.get("number", "")
        if not number:
            reasons.append(_("the unit number is missing"))
        elif len(number) > Unit._meta.get_field("number").max_length:
            reasons.append(_("the unit number is too long"))
        floor: int | None = None
        floor_text = record.get("floor", "")
        if floor_text:
            try:
                floor = int(floor_text)
            except ValueError:
                reasons.append(_("the floor “%(value)s” is not a whole number") % {"value": floor_text})
            else:
                if not -10 <= floor <= 300:
                    reasons.append(_("the floor %(value)s is out of range") % {"value": floor})
        occupied = _yes_no(record.get("occupied", ""), True)
        if occupied is None:
            reasons.append(_("“occupied” must be 是 or 否, not “%(value)s”") % {"value": record["occupied"]})
        owner_absent = _yes_no(record.get("owner_absent", ""), False)
        if owner_absent is None:
            reasons.append(
                _("“owner lives elsewhere” must be 是 or 否, not “%(value)s”") % {"value": record["owner_absent"]}
            )
        name = record.get("name", "")
        phone = record.get("phone", "")
        if len(name) > Resident._meta.get_field("name").max_length:
            reasons.append(_("the resident name is too long"))
        if phone and not name:
            reasons.append(_("a phone number is given but no resident name"))
        if phone and not _PHONE.match(phone):
            reasons.append(_("the phone number “%(value)s” is not valid") % {"value": phone})
        contact_text = record.get("preferred_contact", "")
        preferred = ContactPreference.PHONE.value
        if contact_text:
            found = _CONTACT_LOOKUP.get(norm_header(contact_text))
            if found is None:
                reasons.append(_("unknown preferred contact “%(value)s”") % {"value": contact_text})
            else:
                preferred = found
        if community_name and building and number:
            key = (community_name, building, number)
            if key in seen:
                reasons.append(_("the same unit is already in row %(row)d") % {"row": seen[key]})
            else:
                seen[key] = row_number
        if reasons:
            plan.errors.append(RowError(row=row_number, message="; ".join(reasons)))
            continue
        plan.rows.append(
            ParsedRow(
                row=row_number,
                community=community,
                building=building,
                number=number,
                floor=floor,
                occupied=bool(occupied),
                owner_absent=bool(owner_absent),
                name=name,
                phone=phone,
                preferred_contact=preferred,
            )
        )
    return plan


# 3. Saving --------------------------------------------------------------------------------------


@transaction.atomic
def save(plan: ImportPlan) -> ImportResult:
    """Write a plan that has no errors: buildings and units created or updated, residents added
    (deduplicated by unit and name: a known resident gets the phone and contact of the file)."""
    if plan.errors:
        raise ValueError("a plan with errors is never saved")
    result = ImportResult(plan=plan)
    by_community: dict[int, list[ParsedRow]] = defaultdict(list)
    for row in plan.rows:
        by_community[row.community.pk].append(row)
    for rows in by_community.values():
        community = rows[0].community
        buildings = {b.name: b for b in Building.objects.filter(community=community)}
        new_buildings = []
        for name in dict.fromkeys(r.building for r in rows):
            if name not in buildings:
                building = Building(community=community, name=name)
                building.full_clean(exclude=["community"], validate_unique=False, validate_constraints=False)
                new_buildings.append(building)
        for building in Building.objects.bulk_create(new_buildings):
            buildings[building.name] = building
        result.buildings_created += len(new_buildings)
        if any(b.pk is None for b in buildings.values()):  # a backend without RETURNING
            buildings = {b.name: b for b in Building.objects.filter(community=community)}

        units = {
            (u.building_id, u.number): u
            for u in Unit.objects.filter(building__community=community, building__name__in=list(buildings))
        }
        to_create, to_update = [], []
        row_unit: dict[int, Unit] = {}
        for row in rows:
            building = buildings[row.building]
            unit = units.get((building.pk, row.number))
            if unit is None:
                unit = Unit(building=building, number=row.number)
                to_create.append(unit)
            else:
                to_update.append(unit)
            unit.floor, unit.occupied, unit.owner_absent = row.floor, row.occupied, row.owner_absent
            unit.full_clean(exclude=["building"], validate_unique=False, validate_constraints=False)
            row_unit[row.row] = unit
        Unit.objects.bulk_create(to_create)
        Unit.objects.bulk_update(to_update, ["floor", "occupied", "owner_absent"])
        result.units_created += len(to_create)
        result.units_updated += len(to_update)
        if any(u.pk is None for u in to_create):  # a backend without RETURNING
            fresh = {(u.building_id, u.number): u for u in Unit.objects.filter(building__community=community)}
            row_unit = {n: fresh[(u.building_id, u.number)] for n, u in row_unit.items()}

        named = [r for r in rows if r.name]
        existing = {(r.unit_id, r.name): r for r in Resident.objects.filter(unit__in=[row_unit[r.row] for r in named])}
        new_residents, changed = [], []
        for row in named:
            unit = row_unit[row.row]
            resident = existing.get((unit.pk, row.name))
            if resident is None:
                resident = Resident(unit=unit, name=row.name, is_owner=True)
                new_residents.append(resident)
            else:
                changed.append(resident)
            resident.phone, resident.preferred_contact = row.phone, row.preferred_contact
            resident.full_clean(exclude=["unit"], validate_unique=False, validate_constraints=False)
        Resident.objects.bulk_create(new_residents)
        Resident.objects.bulk_update(changed, ["phone", "preferred_contact"])
        result.residents_created += len(new_residents)
        result.residents_updated += len(changed)
    result.saved = True
    return result


def import_estates(
    *, user: User, office: Office, file: IO[bytes], name: str = "", size: int | None = None
) -> ImportResult:
    """The service the upload view calls: read, validate every row, save only if all are good."""
    if not user.has_perm("estates.import_estates") or not user_can_see_office(user, office.pk):
        raise PermissionDenied
    rows = read_workbook(file, name=name, size=size)
    plan = parse(rows, office=office)
    if plan.errors:
        return ImportResult(plan=plan)
    return save(plan)


# The template -----------------------------------------------------------------------------------
