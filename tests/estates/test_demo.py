"""seed_demo (foundation issue, section 6): idempotent, and every demo login works."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from estates import demo
from estates.models import Building, Community, Company, Department, Office, Resident, Role, Unit, User


def table_counts():
    return {m.__name__: m.objects.count() for m in (Office, Community, Building, Unit, Resident, Department, User)}


@pytest.fixture
def seeded(db):
    from django.core.cache import cache

    # The demo posts public feedback through its per-address throttle, counted in the cache, which
    # outlives a test's database: without this, the n-th seeding in one run is throttled.
    cache.clear()
    call_command("seed_demo", "--quiet")


def test_seed_demo_twice_changes_nothing(seeded):
    first = table_counts()
    snapshot = list(Resident.objects.order_by("pk").values_list("name", "phone", "unit_id"))
    call_command("seed_demo", "--quiet")
    assert table_counts() == first
    assert list(Resident.objects.order_by("pk").values_list("name", "phone", "unit_id")) == snapshot


def test_demo_company_matches_the_issue(seeded):
    kexin = Community.objects.get(name="科信小区")
    cuihu = Community.objects.get(name="翠湖苑")
    assert kexin.occupied_on.year == 2016 and cuihu.occupied_on.year == 2023
    assert Building.objects.filter(community=kexin).count() == 6
    assert Unit.objects.filter(building__community=kexin).count() == 600
    assert cuihu.households < 300
    assert Unit.objects.filter(building__community=kexin, occupied=False).exists()
    assert Unit.objects.filter(building__community=kexin, owner_absent=True).exists()
    phones = Resident.objects.values_list("phone", flat=True)
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)
    assert Department.objects.filter(office__isnull=True, name="质管部").exists()
    for office in Office.objects.all():
        names = set(Department.objects.filter(office=office).values_list("name", flat=True))
        assert {"客户服务部", "保安部", "工程部", "清洁绿化部"} <= names


def test_one_demo_user_for_every_role(seeded):
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert [login[0] for login in demo.DEMO_LOGINS] == [
        "frontdesk", "frontdesk2", "assistant", "deptmanager", "deptmanager2", "officemanager",
        "qa", "qamanager", "mgmtrep", "assistantgm", "admin",
    ]  # fmt: skip
    frontdesk = User.objects.get(username="frontdesk")
    assert [o.name for o in frontdesk.offices.all()] == ["科信管理处"]
    assert frontdesk.groups.filter(name=Role.FRONT_DESK).exists()
    assert User.objects.get(username="frontdesk2").offices.get().name == "翠湖管理处"
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_staff=True).exclude(username="admin").exists()
    assert User.objects.get(username="qa").email == "qa@demo.tingjian.local"


@pytest.mark.parametrize("username", [login[0] for login in demo.DEMO_LOGINS])
def test_every_demo_login_reaches_the_dashboard(client, seeded, username):
    import axes.utils

    axes.utils.reset()
    response = client.post(reverse("login"), {"username": username, "password": demo.DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.context["user"].username == username
    assert response.redirect_chain[-1][0] == reverse("dashboard")


def test_seed_demo_prints_the_logins_and_a_warning(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "tingjian-demo" in text and "警告" in text and "前台" in text
    for username, _role, _office in demo.DEMO_LOGINS:
        assert re.search(rf"^  {username}\s", text, re.MULTILINE)
    quiet = io.StringIO()
    call_command("seed_demo", "--quiet", stdout=quiet)
    assert quiet.getvalue() == ""


def test_app_demo_hooks_run_in_installed_apps_order(db, monkeypatch):
    import types

    calls = []
    fake = types.ModuleType("clock.demo")
    fake.seed = lambda company: calls.append(("clock", company.name))
    monkeypatch.setitem(__import__("sys").modules, "clock.demo", fake)
    labels = [label for label, _seed in demo.app_seeders()]
    assert "clock" in labels and "admin" not in labels and "estates" not in labels
    call_command("seed_demo", "--quiet")
    assert calls == [("clock", demo.COMPANY_NAME)]


def test_seed_demo_refuses_a_database_with_real_data(company):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", "--quiet")
    assert not Company.objects.filter(name=demo.COMPANY_NAME).exists()


def test_seed_demo_if_empty_skips_a_database_with_real_data(company):
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert not Company.objects.filter(name=demo.COMPANY_NAME).exists()
    assert "demo" in out.getvalue().lower() or "演示" in out.getvalue()


def test_seed_demo_refuses_production_settings(db, settings):
    from django.core.management.base import CommandError

    settings.TINGJIAN_PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo", "--quiet")
    assert not Company.objects.exists()


def test_demo_ribbon_on_every_page_while_the_demo_is_loaded(client, seeded):
    login = client.get(reverse("login"))
    assert b"data-demo-ribbon" in login.content
    client.force_login(User.objects.get(username="frontdesk"))
    assert b"data-demo-ribbon" in client.get(reverse("dashboard")).content


def test_no_demo_ribbon_without_the_demo(client, company):
    demo.set_demo_ribbon(None)  # forget: the page asks the database
    assert b"data-demo-ribbon" not in client.get(reverse("login")).content
