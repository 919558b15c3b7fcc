"""Extra personas for the clock tests: escalation targets of office A and of the company."""

from __future__ import annotations

import pytest

from estates.models import Role
from tests.factories import UserFactory


@pytest.fixture
def manager_a(office_a):
    return UserFactory(username="manager_a", role=Role.DEPT_MANAGER, company=office_a.company, offices=[office_a])


@pytest.fixture
def manager_b(office_b):
    return UserFactory(username="manager_b", role=Role.DEPT_MANAGER, company=office_b.company, offices=[office_b])


@pytest.fixture
def assistant_gm(company):
    return UserFactory(username="agm", role=Role.ASSISTANT_GM, company=company)
