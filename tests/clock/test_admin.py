"""The Django admin pages of the clock load, and deadlines cannot be added or deleted by hand."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from clock import services
from clock.worktime import SHANGHAI
from estates.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, company):
    user = UserFactory(username="root", role="", is_staff=True, is_superuser=True, company=company)
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["calendarsettings", "calendarday", "calendaryear", "deadline", "notification"])
def test_changelists_load(superuser_client, model):
    assert superuser_client.get(reverse(f"admin:clock_{model}_changelist")).status_code == 200


def test_deadline_is_read_only_in_admin(superuser_client, unit_a, office_a):
    opened = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    deadline = services.deadline_open(
        subject=unit_a,
        rule="C3",
        title="首次回复",
        opened_at=opened,
        due_at=opened + datetime.timedelta(hours=8),
        office=office_a,
        responsible_role=Role.FRONT_DESK,
    )
    assert superuser_client.get(reverse("admin:clock_deadline_change", args=[deadline.pk])).status_code == 200
    assert superuser_client.get(reverse("admin:clock_deadline_add")).status_code == 403
    assert superuser_client.get(reverse("admin:clock_deadline_delete", args=[deadline.pk])).status_code == 403
