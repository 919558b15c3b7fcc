"""Hardening issue, operations: the Django admin shows a company admin their own company only — rows,
change pages, sidebar filters and dropdowns."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from clock.models import CalendarDay, CalendarSettings, CalendarYear
from estates.admin_scoping import CompanyScopedAdmin, company_path_for
from estates.models import Role
from tests.factories import CompanyFactory, OfficeFactory, ResidentFactory, UnitFactory, UserFactory

OTHER = "别家物业有限公司"


@pytest.fixture
def other(db):
    company = CompanyFactory(name=OTHER)
    office = OfficeFactory(company=company, name="别家管理处", code="other")
    unit = UnitFactory(building__community__office=office)
    resident = ResidentFactory(unit=unit, name="别家住户", phone="13911112222")
    user = UserFactory(username="other_frontdesk", role=Role.FRONT_DESK, company=company, offices=[office])
    return {"company": company, "office": office, "unit": unit, "resident": resident, "user": user}


@pytest.fixture
def admin_a(client, company, office_a, unit_a):
    ResidentFactory(unit=unit_a, name="本家住户")
    user = UserFactory(username="companyadmin", role=Role.COMPANY_ADMIN, company=company, is_staff=True,
                       is_superuser=True)  # fmt: skip
    client.force_login(user)
    return client


def test_changelists_show_only_the_admins_company(admin_a, other, office_a):
    offices = admin_a.get(reverse("admin:estates_office_changelist")).content.decode()
    assert office_a.name in offices and "别家管理处" not in offices
    companies = admin_a.get(reverse("admin:estates_company_changelist")).content.decode()
    assert OTHER not in companies
    residents = admin_a.get(reverse("admin:estates_resident_changelist")).content.decode()
    assert "本家住户" in residents and "别家住户" not in residents and "13911112222" not in residents
    users = admin_a.get(reverse("admin:estates_user_changelist")).content.decode()
    assert "companyadmin" in users and "other_frontdesk" not in users


def test_another_companys_object_is_not_shown(admin_a, other):
    for name, obj in (("office", other["office"]), ("resident", other["resident"]), ("user", other["user"])):
        response = admin_a.get(reverse(f"admin:estates_{name}_change", args=[obj.pk]))
        assert response.status_code == 302, name  # the admin's "does not exist" redirect
        assert "别家" not in admin_a.get(response.url).content.decode()


def test_sidebar_filters_and_dropdowns_list_only_the_admins_company(admin_a, other, office_a):
    sidebar = admin_a.get(reverse("admin:estates_department_changelist")).content.decode()
    assert OTHER not in sidebar and "别家管理处" not in sidebar
    add_user = admin_a.get(reverse("admin:estates_user_change", args=[other["user"].pk]))
    assert add_user.status_code == 302
    community_add = admin_a.get(reverse("admin:estates_community_add")).content.decode()
    assert office_a.name in community_add and "别家管理处" not in community_add


def test_a_company_admin_cannot_change_the_shared_role_groups(admin_a):
    group = Group.objects.get_or_create(name=Role.FRONT_DESK)[0]
    response = admin_a.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "hijacked"})
    group.refresh_from_db()
    assert group.name == Role.FRONT_DESK
    assert response.status_code in (302, 403)


def test_every_product_admin_is_company_scoped():
    installation_wide = {CalendarSettings, CalendarDay, CalendarYear, Group}
    product = {"estates", "clock", "complaints", "feedback", "surveys", "inspections"}
    for model, model_admin in admin.site._registry.items():
        if model in installation_wide or model._meta.app_label not in product:
            continue
        assert isinstance(model_admin, CompanyScopedAdmin), model
        assert company_path_for(model) is not None, model
