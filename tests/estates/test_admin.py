"""Django admin for the reference data: every changelist loads for the company admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from estates.models import Role
from tests.factories import DepartmentFactory, ResidentFactory, UserFactory


@pytest.fixture
def admin_client_(client, company, unit_a, unit_b):
    ResidentFactory(unit=unit_a)
    ResidentFactory(unit=unit_b)
    DepartmentFactory(company=company)
    user = UserFactory(username="companyadmin", role=Role.COMPANY_ADMIN, company=company, is_staff=True,
                       is_superuser=True)  # fmt: skip
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", ["company", "office", "community", "building", "unit", "resident", "department", "user"]
)
def test_changelist_loads(admin_client_, model, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        response = admin_client_.get(reverse(f"admin:estates_{model}_changelist"))
    assert response.status_code == 200


def test_unit_change_page_with_residents_inline(admin_client_, unit_a):
    response = admin_client_.get(reverse("admin:estates_unit_change", args=[unit_a.pk]))
    assert response.status_code == 200
    assert "residents" in response.content.decode()


def test_user_change_page_has_membership_fields(admin_client_, frontdesk_a):
    content = admin_client_.get(reverse("admin:estates_user_change", args=[frontdesk_a.pk])).content.decode()
    for field in ("company", "offices", "department", "role"):
        assert f'name="{field}"' in content


def test_user_saved_in_the_admin_joins_its_role_group(admin_client_, office_a):
    from estates.models import User

    user = UserFactory(username="moved", role=Role.FRONT_DESK, company=office_a.company, offices=[office_a])
    url = reverse("admin:estates_user_change", args=[user.pk])
    form = admin_client_.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("groups", "user_permissions")}
    data.update(
        {
            "offices": [office_a.pk],
            "company": office_a.company.pk,
            "role": Role.OFFICE_MANAGER,
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "is_active": "on",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)
    data.pop("department", None)
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(pk=user.pk)
    assert user.role == Role.OFFICE_MANAGER
    assert list(user.groups.values_list("name", flat=True)) == [Role.OFFICE_MANAGER]
