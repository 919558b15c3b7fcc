"""Writes of the register's settings: the company's categories with their service-request due times
(F1, a company setting) and an office's own names for states, each with a fixed meaning underneath."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from estates.models import Office, Role, User
from estates.scoping import user_can_see_office

from ..models import Category, StateLabel
from ..rules import State
from .entries import categories_for

MAX_SERVICE_HOURS = 400


def _check_admin(by: User) -> None:
    if not (by.is_superuser or by.role == Role.COMPANY_ADMIN) or not by.company_id:
        raise ValidationError(_("Only the company administrator edits the categories."))


def _hours(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_SERVICE_HOURS:
        raise ValidationError({"service_hours": _("Enter between 1 and 400 working hours.")})
    return value


def category_update(*, by: User, code: str, name: str, service_hours: int | None, active: bool) -> Category:
    """Rename a category, change its service-request due time, or take it out of use."""
    _check_admin(by)
    category = next((c for c in categories_for(by.company_id) if c.code == code), None)
    if category is None:
        raise ValidationError(_("Unknown category: %(code)s.") % {"code": code})
    category.name = (name or "").strip()[:50]
    category.service_hours = _hours(service_hours)
    category.active = active
    category.full_clean()
    category.save(update_fields=["name", "service_hours", "active"])
    return category


def category_add(*, by: User, name: str, service_hours: int | None) -> Category:
    _check_admin(by)
    name = (name or "").strip()[:50]
    if not name:
        raise ValidationError({"name": _("Name the category.")})
    existing = categories_for(by.company_id)
    if any(c.label == name for c in existing):
        raise ValidationError({"name": _("This category already exists.")})
    number = len(existing) + 1
    while True:
        try:
            with transaction.atomic():
                return Category.objects.create(
                    company_id=by.company_id,
                    code=f"c{number}",
                    name=name,
                    service_hours=_hours(service_hours),
                    order=number,
                )
        except IntegrityError:
            number += 1


def state_label_add(*, by: User, office: Office, meaning: str, label: str) -> StateLabel:
    """An office's own name for a state ("closed — not fixed", "referred to the utility")."""
    if not user_can_see_office(by, office.pk) or not (by.is_superuser or by.role == Role.OFFICE_MANAGER):
        raise ValidationError(_("Only the office manager names the office's states."))
    if meaning not in State.values:
        raise ValidationError({"meaning": _("Choose a state.")})
    label = (label or "").strip()[:40]
    if not label:
        raise ValidationError({"label": _("Write the name.")})
    found = StateLabel.objects.filter(office=office, label=label).first()
    if found is not None:
        if found.meaning != meaning:
            raise ValidationError({"label": _("This name is already used for another state.")})
        if not found.active:
            found.active = True
            found.save(update_fields=["active"])
        return found
    return StateLabel.objects.create(office=office, meaning=meaning, label=label)


def state_label_retire(*, by: User, label: StateLabel) -> StateLabel:
    """Out of use for new changes; entries that carry it keep it."""
    if not user_can_see_office(by, label.office_id) or not (by.is_superuser or by.role == Role.OFFICE_MANAGER):
        raise ValidationError(_("Only the office manager names the office's states."))
    label.active = False
    label.save(update_fields=["active"])
    return label
