"""The register's settings: company-editable categories with their service-request due times (F1), and
an office's own names for states with a fixed meaning underneath."""

from __future__ import annotations

import pytest
from django.urls import reverse

from estates.models import Role
from feedback.models import Category, StateLabel
from feedback.rules import State
from feedback.services import entry_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, company):
    client.force_login(UserFactory(username="companyadmin", role=Role.COMPANY_ADMIN, company=company))
    return client


def test_f1_company_sets_a_categorys_service_due_time(frozen, admin_client, company, office_a, frontdesk_a):
    page = admin_client.get(reverse("feedback:settings"))
    assert page.status_code == 200
    assert Category.objects.count() == 0  # a GET never writes
    admin_client.post(
        reverse("feedback:category_save", args=["repairs"]), {"name": "工程维修", "service_hours": "2", "active": "on"}
    )
    repairs = Category.objects.get(company=company, code="repairs")
    assert repairs.label == "工程维修" and repairs.service_hours == 2
    entry = entry_create(
        office=office_a, by=frontdesk_a, channel="phone", kind="service", category="repairs", content="漏水"
    )
    assert entry.service_hours == 2


def test_f1_company_adds_a_category(frozen, admin_client, company):
    admin_client.post(reverse("feedback:category_new"), {"new-name": "装修管理", "new-service_hours": "16"})
    assert Category.objects.filter(company=company, name="装修管理", service_hours=16).exists()


def test_f1_front_desk_may_not_edit_categories(frozen, client_a):
    assert client_a.get(reverse("feedback:settings")).status_code == 403
    assert client_a.post(reverse("feedback:category_new"), {"new-name": "x"}).status_code == 403


def test_f1_office_names_its_own_closed_state(frozen, client, office_a, officemanager_a):
    client.force_login(officemanager_a)
    client.post(
        reverse("feedback:label_add"), {"office": office_a.pk, "meaning": "closed", "label": "已转交自来水公司"}
    )
    label = StateLabel.objects.get(office=office_a)
    assert label.meaning == State.CLOSED and label.active
    client.post(reverse("feedback:label_retire", args=[label.pk]))
    label.refresh_from_db()
    assert not label.active


def test_f1_outsider_cannot_name_another_offices_states(frozen, client, office_a, office_b, company):
    other = UserFactory(username="officemanager_b", role=Role.OFFICE_MANAGER, company=company, offices=[office_b])
    client.force_login(other)
    response = client.post(reverse("feedback:label_add"), {"office": office_a.pk, "meaning": "closed", "label": "x"})
    assert response.status_code == 404
    assert not StateLabel.objects.exists()
