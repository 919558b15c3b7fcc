"""Hardening issue, item 2: the reset link is built on SITE_URL, the email goes through the retrying outbox,
and requests are throttled per account and per address with the same answer every time."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from clock.models import Notification
from clock.selectors import inbox_for
from clock.services import send_pending_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(settings, office_a):
    settings.SITE_URL = "https://tingjian.example.com"
    return UserFactory(username="resetme", email="resetme@example.com", company=office_a.company, offices=[office_a])


def _reset(client, email, host="127.0.0.1:6666", address="127.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, HTTP_HOST=host, REMOTE_ADDR=address)


def test_reset_link_is_built_on_site_url_and_sent_through_the_outbox(client, staff, mailoutbox):
    response = _reset(client, staff.email)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []  # nothing sent from the web request
    (queued,) = Notification.objects.filter(recipient=staff)
    assert "https://tingjian.example.com/accounts/reset/" in queued.body
    assert "6666" not in queued.body
    assert send_pending_emails() == 1
    (mail,) = mailoutbox
    assert mail.to == ["resetme@example.com"]
    assert "https://tingjian.example.com/accounts/reset/" in mail.body and "127.0.0.1:6666" not in mail.body


def test_reset_email_is_not_listed_in_the_inbox(client, staff):
    _reset(client, staff.email)
    assert Notification.objects.filter(recipient=staff).exists()
    assert not inbox_for(staff).exists()
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()


def test_ten_requests_for_one_account_send_one_email(client, staff, mailoutbox):
    answers = {(_reset(client, staff.email, address=f"192.0.2.{i}").status_code) for i in range(10)}
    assert answers == {302}
    send_pending_emails()
    assert len(mailoutbox) == 1


def test_one_address_is_throttled_across_accounts_with_the_same_answer(client, staff, office_a, mailoutbox):
    others = [UserFactory(email=f"u{i}@example.com", company=office_a.company, offices=[office_a]) for i in range(8)]
    responses = [_reset(client, u.email, address="203.0.113.9") for u in others]
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, reverse("password_reset_done"))}
    assert Notification.objects.filter(recipient__in=others).count() == 5
    unknown = _reset(client, "nobody@example.com", address="198.51.100.1")
    assert (unknown.status_code, unknown["Location"]) == (302, reverse("password_reset_done"))
