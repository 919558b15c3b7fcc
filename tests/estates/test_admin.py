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
