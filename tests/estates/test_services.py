"""Staff writes: membership and role group go together (estates.services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from estates import services
from estates.models import Role
from estates.scoping import offices_for
from tests.factories import CompanyFactory, DepartmentFactory, OfficeFactory


def test_staff_create_sets_role_group_and_offices(company, office_a):
    user = services.staff_create(
        username="newdesk", password="a-Long-pass-2026", role=Role.FRONT_DESK, company=company, offices=[office_a]
    )
    assert user.check_password("a-Long-pass-2026")
    assert list(user.groups.values_list("name", flat=True)) == [Role.FRONT_DESK]
    assert user.has_perm("estates.view_unit") and not user.has_perm("estates.import_estates")
    assert list(offices_for(user)) == [office_a]


def test_staff_create_validates_password(company, office_a):
    with pytest.raises(ValidationError):
        services.staff_create(
            username="weak", password="123", role=Role.FRONT_DESK, company=company, offices=[office_a]
        )


def test_office_role_needs_an_office_and_offices_must_be_of_the_company(company, office_a):
    with pytest.raises(ValidationError):
        services.staff_create(username="x", password="a-Long-pass-2026", role=Role.FRONT_DESK, company=company)
    foreign = OfficeFactory(company=CompanyFactory(name="别的公司"))
    with pytest.raises(ValidationError):
        services.staff_create(
            username="y", password="a-Long-pass-2026", role=Role.FRONT_DESK, company=company, offices=[foreign]
        )


def test_department_of_another_office_is_refused(company, office_a, office_b):
    department = DepartmentFactory(company=company, office=office_b, name="保安部")
    with pytest.raises(ValidationError):
        services.staff_create(
            username="z", password="a-Long-pass-2026", role=Role.DEPT_MANAGER, company=company,
            offices=[office_a], department=department,
        )  # fmt: skip


def test_staff_set_role_swaps_the_group(company, office_a):
    user = services.staff_create(
        username="promoted", password="a-Long-pass-2026", role=Role.FRONT_DESK, company=company, offices=[office_a]
    )
    services.staff_set_role(user=user, role=Role.QA_STAFF, offices=[])
    user.refresh_from_db()
    assert user.role == Role.QA_STAFF
    assert list(user.groups.values_list("name", flat=True)) == [Role.QA_STAFF]
    assert user.is_company_wide
