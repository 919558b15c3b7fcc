"""Navigation by role, and the registry process apps extend (web.navigation)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from common.navigation import NavItem
from estates.models import Role
from tests.factories import UserFactory
from web import navigation


@pytest.fixture
def registry():
    """Keep the process-wide registry as it was."""
    saved = dict(navigation._REGISTRY)
    yield navigation
    navigation._REGISTRY.clear()
    navigation._REGISTRY.update(saved)


def keys(response) -> list[str]:
    return [item["key"] for item in response.context["nav_items"]]


def test_front_desk_menu(client_a):
    response = client_a.get(reverse("dashboard"))
    menu = keys(response)
    assert menu[:2] == ["dashboard", "inbox"]
    assert "admin" not in menu
    assert "calendar" not in menu  # only with clock.manage_calendar
    assert "estates_import" not in menu  # front desk may not import (estates.roles)
    html = response.content.decode()
    assert "工作台" in html and "消息" in html


def test_company_admin_sees_the_calendar_when_its_url_exists(client, company_admin):
    client.force_login(company_admin)
    menu = keys(client.get(reverse("dashboard")))
    try:
        reverse("clock:overview")
    except Exception:
        assert "calendar" not in menu
    else:
        assert "calendar" in menu


def test_staff_see_django_admin(client, company):
    staff = UserFactory(role=Role.COMPANY_ADMIN, company=company, is_staff=True)
    client.force_login(staff)
    assert "admin" in keys(client.get(reverse("dashboard")))


def test_anonymous_gets_no_menu(client, db):
    response = client.get(reverse("login"))
    assert response.context["nav_items"] == []
    assert response.context["unread_count"] == 0


def test_registered_item_appears_for_the_right_permission_only(registry, client, frontdesk_a, company_admin):
    registry.register(
        NavItem(key="test_inbox_again", label="测试项", url_name="inbox", permission="clock.manage_calendar", order=15)
    )
    client.force_login(company_admin)
    assert keys(client.get(reverse("dashboard")))[:3] == ["dashboard", "test_inbox_again", "inbox"]
    client.force_login(frontdesk_a)
    assert "test_inbox_again" not in keys(client.get(reverse("dashboard")))


def test_registered_item_by_role(registry, client, frontdesk_a, qa):
    registry.register(NavItem(key="qa_only", label="质管", url_name="inbox", roles=frozenset({Role.QA_STAFF})))
    client.force_login(qa)
    assert "qa_only" in keys(client.get(reverse("dashboard")))
    client.force_login(frontdesk_a)
    assert "qa_only" not in keys(client.get(reverse("dashboard")))


def test_item_whose_url_does_not_resolve_is_hidden_not_an_error(registry, client_a):
    registry.register(NavItem(key="future", label="以后", url_name="no_such_app:list"))
    response = client_a.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "future" not in keys(response)


def test_register_replaces_by_key_and_defaults_do_not_override_apps(registry):
    registry.register(NavItem(key="inbox", label="收件箱", url_name="inbox", order=5))
    registry.register_defaults()  # web's ready() runs after the process apps' ready()
    assert registry._REGISTRY["inbox"].label == "收件箱"


def test_active_item_is_marked(client_a):
    response = client_a.get(reverse("inbox"))
    active = [item["key"] for item in response.context["nav_items"] if item["active"]]
    assert active == ["inbox"]
