"""Writes of the estates app (STYLE.md 2): keyword-only, typed, full_clean, transaction.atomic.

Staff membership (company, offices, department, role) and the role group go together: a user's
permissions come only from the group of their role (estates.roles), so the two are always set here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    COMPANY_ROLES,
    Building,
    Community,
    Company,
    ContactPreference,
    Department,
    Office,
    Resident,
    Role,
    Unit,
    User,
)
from .roles import group_for


def _check_membership(
    *, role: str, company: Company | None, offices: Iterable[Office], department: Department | None
) -> list[Office]:
    offices = list(offices)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if company is None:
        raise ValidationError({"company": _("Staff must belong to a company.")})
    for office in offices:
        if office.company_id != company.pk:
            raise ValidationError({"offices": _("Every office must belong to the staff member's company.")})
    if role not in COMPANY_ROLES and not offices:
        # Office roles see only their offices (estates.scoping): without one they would see nothing.
        raise ValidationError({"offices": _("This role works in an office: choose at least one.")})
    if department is not None:
        if department.company_id != company.pk:
            raise ValidationError({"department": _("The department belongs to another company.")})
        if department.office_id is not None and department.office_id not in {o.pk for o in offices}:
            raise ValidationError({"department": _("The department belongs to an office the staff member is not in.")})
    return offices


def staff_sync_role_group(*, user: User, role: str) -> None:
    """Put the user in exactly the group of `role` (their permissions come from it)."""
    # Exactly one role group: the other role groups are removed so a change of role drops the old
    # permissions. Groups that are not roles (added by hand in the admin) are kept.
    role_groups = [group_for(r) for r in Role.values]
    user.groups.remove(*[g for g in role_groups if g.name != role])
    user.groups.add(group_for(role))


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    role: str,
    company: Company,
    offices: Iterable[Office] = (),
    department: Department | None = None,
    display_name: str = "",
    email: str = "",
    phone: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    check_password: bool = True,
) -> User:
    """Create a staff member with their membership and role group.

    `check_password=False` skips Django's password validators; only the demo company uses it
    (its shared demo password resembles the demo e-mail domain)."""
    offices = _check_membership(role=role, company=company, offices=offices, department=department)
    user = User(
        username=username,
        role=role,
        company=company,
        department=department,
        display_name=display_name,
        email=email,
        phone=phone,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.offices.set(offices)
    staff_sync_role_group(user=user, role=role)
    return user


@transaction.atomic
def staff_set_role(
    *,
    user: User,
    role: str,
    offices: Iterable[Office] | None = None,
    department: Department | None = None,
) -> User:
    """Change a staff member's role (and, when given, offices and department); the role group follows."""
    offices = list(user.offices.all()) if offices is None else list(offices)
    offices = _check_membership(role=role, company=user.company, offices=offices, department=department)
    user.role = role
    user.department = department
    user.full_clean()
    user.save(update_fields=["role", "department"])
    user.offices.set(offices)
    staff_sync_role_group(user=user, role=role)
    # The scoping cache on this object no longer holds (estates.scoping.office_ids_for).
    if hasattr(user, "_tingjian_office_ids"):
        del user._tingjian_office_ids
    return user


def building_get_or_create(*, community: Community, name: str) -> tuple[Building, bool]:
    building = Building.objects.filter(community=community, name=name).first()
    if building is not None:
        return building, False
    building = Building(community=community, name=name)
    building.full_clean()
    building.save()
    return building, True


def unit_upsert(
    *,
    building: Building,
    number: str,
    floor: int | None = None,
    occupied: bool = True,
    owner_absent: bool = False,
) -> tuple[Unit, bool]:
    """Create the unit or update its floor and occupancy flags; returns (unit, created)."""
    unit = Unit.objects.filter(building=building, number=number).first()
    created = unit is None
    if created:
        unit = Unit(building=building, number=number)
    unit.floor = floor
    unit.occupied = occupied
    unit.owner_absent = owner_absent
    unit.full_clean()
    if created:
        unit.save()
    else:
        unit.save(update_fields=["floor", "occupied", "owner_absent"])
    return unit, created


def resident_upsert(
    *,
    unit: Unit,
    name: str,
    phone: str = "",
    preferred_contact: str = ContactPreference.PHONE,
    is_owner: bool = True,
) -> tuple[Resident, bool]:
    """Add a resident to the unit, or update the one of the same name (residents are deduplicated by
    unit and name)."""
    resident = Resident.objects.filter(unit=unit, name=name).first()
    created = resident is None
    if created:
        resident = Resident(unit=unit, name=name, is_owner=is_owner)
    resident.phone = phone
    resident.preferred_contact = preferred_contact
    resident.full_clean()
    if created:
        resident.save()
    else:
        resident.save(update_fields=["phone", "preferred_contact"])
    return resident, created


# ---------------------------------------------------------------------------------------------
# A resident's personal data (PIPL, issue 9): export and erasure on request, across the apps
# (common.personal_data providers).


def resident_personal_data_workbook(*, residents: Iterable[Resident]):
    """One workbook: the residents' own records, then one sheet per app that keeps their data."""
    from openpyxl import Workbook

    from common.personal_data import providers
    from common.xlsx import Column, add_form_sheet

    residents = list(residents)
    wb = Workbook()
    add_form_sheet(
        wb,
        title=_("Personal data of a resident"),
        form_code="PIPL",
        sheet_title=_("Resident"),
        columns=[
            Column(_("Name"), 12),
            Column(_("Unit"), 20),
            Column(_("Phone"), 14, "text"),
            Column(_("Email"), 20),
            Column(_("Owner"), 8),
            Column(_("Preferred contact"), 12),
        ],
        rows=[
            [
                r.name,
                r.unit.label,
                r.phone,
                r.email,
                _("Yes") if r.is_owner else _("No"),
                r.get_preferred_contact_display(),
            ]
            for r in residents
        ],
    )
    for provider in providers():
        rows = [row for r in residents for row in provider.export(r)]
        add_form_sheet(
            wb,
            title=str(provider.label),
            form_code="PIPL",
            sheet_title=str(provider.label),
            columns=provider.columns,
            rows=rows,
        )
    return wb


ERASED_NAME = "已删除"


@transaction.atomic
def resident_erase_personal_data(*, resident: Resident) -> dict[str, int]:
    """Anonymise a resident on request: every app's records of them first (their figures stay), then
    the resident's own name, phone and email. The unit and its occupancy stay. Answers what changed."""
    from common.personal_data import providers

    changed = {provider.key: provider.erase(resident) for provider in providers()}
    resident.name = ERASED_NAME
    resident.phone = ""
    resident.email = ""
    resident.full_clean()
    resident.save(update_fields=["name", "phone", "email"])
    return changed
