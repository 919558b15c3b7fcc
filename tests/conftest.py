"""Personas (STYLE.md 12): the front desk of office A, QA of the company, the front desk of office B
as the outsider, and the places they work."""

from __future__ import annotations

import pytest

from estates.models import Role
from tests.factories import CompanyFactory, OfficeFactory, UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_demo_ribbon_cached():
    """The demo ribbon's flag is remembered per process (estates.demo.demo_ribbon): start every test with
    "no demo" so a page's query count does not depend on which test ran before; seeding the demo sets it.
    Failed logins of earlier tests do not count against this one's address either."""
    from django.core.cache import cache

    from estates.demo import set_demo_ribbon

    set_demo_ribbon(False)
    cache.delete("tingjian:login-failures:127.0.0.1")
    yield


@pytest.fixture
def company(db):
    return CompanyFactory()


@pytest.fixture
def office_a(company):
    return OfficeFactory(company=company, name="科信管理处", code="kexin")


@pytest.fixture
def office_b(company):
    return OfficeFactory(company=company, name="翠湖管理处", code="cuihu")


@pytest.fixture
def unit_a(office_a):
    return UnitFactory(building__community__office=office_a)


@pytest.fixture
def unit_b(office_b):
    return UnitFactory(building__community__office=office_b)


@pytest.fixture
def frontdesk_a(office_a):
    return UserFactory(username="frontdesk_a", role=Role.FRONT_DESK, company=office_a.company, offices=[office_a])


@pytest.fixture
def frontdesk_b(office_b):
    """The outsider: same company, another office."""
    return UserFactory(username="frontdesk_b", role=Role.FRONT_DESK, company=office_b.company, offices=[office_b])


@pytest.fixture
def qa(company, office_a, office_b):
    return UserFactory(username="qa", role=Role.QA_STAFF, company=company)


@pytest.fixture
def company_admin(company, office_a, office_b):
    return UserFactory(username="admin", role=Role.COMPANY_ADMIN, company=company)


@pytest.fixture
def client_a(client, frontdesk_a):
    client.force_login(frontdesk_a)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters (resident pages, password reset) live in the cache: each test starts with none,
    so one test's submissions never throttle another's (seed_demo submits through the resident page)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A test that activates English (a reader's language, an email in the recipient's language) must not
    leave it active for the next test in the same thread: each test starts and ends in the default."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
