"""Hardening issue, item 3: behind the trusted proxy the client's own address counts; an attacker cannot
lock a user out from elsewhere, and guessing stays throttled per address."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from common.http import client_ip
from estates.models import Role
from tests.factories import UserFactory
from tests.web.test_auth import PASSWORD

pytestmark = pytest.mark.usefixtures("axes_reset")

PROXY = "10.0.0.5"
ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.7"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, address):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_failures_from_an_attacker_behind_the_proxy_do_not_lock_out_the_real_user(settings, client, frontdesk_a):
    settings.TINGJIAN_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _login(client, "frontdesk_a", "wrong-password", ATTACKER)
    assert _login(client, "frontdesk_a", PASSWORD, ATTACKER).status_code == 429  # the attacker is locked
    assert _login(client, "frontdesk_a", PASSWORD, REAL_USER).status_code == 302  # the user is not


def test_guessing_is_throttled_per_address_across_user_names(settings, client, office_a):
    settings.TINGJIAN_PROXY_COUNT = 1
    settings.TINGJIAN_LOGIN_ADDRESS_LIMIT = 6
    users = [UserFactory(username=f"staff{i}", role=Role.FRONT_DESK, company=office_a.company, offices=[office_a])
             for i in range(4)]  # fmt: skip
    for user in users[:3]:
        for _ in range(2):  # under the per-user limit each time
            assert _login(client, user.username, "wrong-password", ATTACKER).status_code == 200
    # Six failures from this address: no user name may be tried from it, not even with the right password.
    assert _login(client, users[3].username, PASSWORD, ATTACKER).status_code == 429
    # Other addresses are unaffected.
    assert _login(client, users[3].username, PASSWORD, REAL_USER).status_code == 302


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.TINGJIAN_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == ATTACKER


def test_behind_two_proxies_the_client_is_the_address_the_outer_one_saw(settings):
    settings.TINGJIAN_PROXY_COUNT = 2
    spoofed = f"6.6.6.6, {REAL_USER}, 10.0.0.9"
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=spoofed)
    assert client_ip(request) == REAL_USER
    short = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(short) == PROXY
