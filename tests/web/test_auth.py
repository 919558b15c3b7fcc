"""Login, logout, password change, throttling and the language switch (foundation issue, 5 and 7)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import translation

PASSWORD = "pw-Tingjian-2026"  # tests.factories.UserFactory

pytestmark = pytest.mark.usefixtures("axes_reset")


def login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_login_page_renders_in_chinese_for_anonymous(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert 'name="viewport"' in html


def test_login_lands_on_dashboard(client, frontdesk_a):
    response = login(client, "frontdesk_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["user"] == frontdesk_a
    assert "工作台" in page.content.decode()


def test_dashboard_requires_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/")


def test_wrong_password_shows_translated_error_and_keeps_username(client, frontdesk_a):
    response = login(client, "frontdesk_a", "wrong-password")
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("zh-hans"):
        expected = str(AuthenticationForm.error_messages["invalid_login"]) % {"username": "用户名"}
    with translation.override("en"):
        english = str(AuthenticationForm.error_messages["invalid_login"]) % {"username": "username"}
    assert expected != english
    assert expected in html
    assert 'value="frontdesk_a"' in html
    assert "_auth_user_id" not in client.session


def test_lockout_after_failure_limit_even_with_the_right_password(client, frontdesk_a):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert login(client, "frontdesk_a", "wrong-password").status_code == 200
    locked = login(client, "frontdesk_a", "wrong-password")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    with translation.override("zh-hans"):
        assert "15" in locked.content.decode()
    # Now the right password is refused too, and nobody is logged in.
    again = login(client, "frontdesk_a", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_is_translated(client, frontdesk_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, "frontdesk_a", "wrong-password")
    html = response.content.decode()
    assert "登录失败次数过多" in html
    client.cookies["django_language"] = "en"
    response = login(client, "frontdesk_a", "wrong-password")
    assert "Too many failed login attempts. Try again in 15 minutes." in response.content.decode()


def test_one_user_locked_out_does_not_lock_another(client, frontdesk_a, frontdesk_b):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "frontdesk_a", "wrong-password")
    assert login(client, "frontdesk_b", PASSWORD).status_code == 302


def test_session_key_is_renewed_at_login(client, frontdesk_a):
    # An anonymous session that exists before login (e.g. planted by an attacker: session fixation).
    store = SessionStore()
    store["planted"] = "yes"
    store.save()
    old_key = store.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = old_key

    response = login(client, "frontdesk_a", PASSWORD)
    assert response.status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key and new_key != old_key
    assert not SessionStore().exists(old_key)
    assert SessionStore(session_key=new_key)["_auth_user_id"] == str(frontdesk_a.pk)


def test_logout_is_post_only(client_a):
    assert client_a.get(reverse("logout")).status_code == 405
    assert client_a.get(reverse("dashboard")).status_code == 200  # still logged in


def test_logout_by_post_redirects_to_login(client_a):
    response = client_a.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client_a.get(reverse("dashboard")).status_code == 302


def test_every_page_offers_logout_as_a_post_form_with_csrf(client_a):
    html = client_a.get(reverse("dashboard")).content.decode()
    start = html.index(f'action="{reverse("logout")}"')
    form = html[html.rindex("<form", 0, start) : html.index("</form>", start)]
    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" in form


def test_password_change(client_a, frontdesk_a):
    page = client_a.get(reverse("password_change"))
    assert page.status_code == 200
    response = client_a.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Xin-mima-2026!", "new_password2": "Xin-mima-2026!"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert client_a.get(response["Location"]).status_code == 200
    frontdesk_a.refresh_from_db()
    assert frontdesk_a.check_password("Xin-mima-2026!")


def test_language_switch_to_english_changes_the_page(client_a):
    zh = client_a.get(reverse("dashboard")).content.decode()
    assert '<html lang="zh-hans">' in zh
    assert "工作台" in zh
    response = client_a.post(reverse("set_language"), {"language": "en", "next": reverse("inbox")})
    assert response.status_code == 302
    assert response["Location"] == reverse("inbox")
    en = client_a.get(reverse("dashboard")).content.decode()
    assert '<html lang="en">' in en
    assert "Dashboard" in en
    assert "工作台" not in en


def test_language_switch_is_a_post_form_on_the_login_page(client, db):
    html = client.get(reverse("login")).content.decode()
    start = html.index(f'action="{reverse("set_language")}"')
    form = html[html.rindex("<form", 0, start) : html.index("</form>", start)]
    assert 'method="post"' in form
    assert 'value="en"' in form and 'value="zh-hans"' in form
