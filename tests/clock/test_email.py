"""Notifications and their emails: stored once per key, each email sent once, a failure recorded and
retried with back-off, never lost silently."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from clock import notifications
from clock.models import EmailState, Notification
from clock.selectors import failed_emails
from clock.services import EMAIL_MAX_ATTEMPTS, notify, send_pending_emails
from clock.worktime import SHANGHAI
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_notify_is_idempotent_per_recipient_and_key(frontdesk_a, qa):
    first = notify(recipients=[frontdesk_a, qa, qa], key="k1", title="标题", body="内容")
    assert len(first) == 2
    again = notify(recipients=[frontdesk_a], key="k1", title="别的标题")
    assert again[0].pk == first[0].pk
    assert Notification.objects.count() == 2
    assert Notification.objects.get(recipient=frontdesk_a).title == "标题"


def test_notify_without_email(frontdesk_a):
    no_address = UserFactory(email="")
    rows = notify(recipients=[frontdesk_a, no_address], key="k", title="t")
    assert [r.email_state for r in rows] == [EmailState.PENDING, EmailState.NONE]
    assert notify(recipients=[frontdesk_a], key="k2", title="t", email=False)[0].email_state == EmailState.NONE


@override_settings(SITE_URL="https://tingjian.example.com")
def test_email_sent_once_with_site_url_link(frontdesk_a):
    notify(recipients=[frontdesk_a], key="k", title="投诉超时", body="C3 首次回复已超时", link="/complaints/7/")
    assert send_pending_emails() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "投诉超时"
    assert message.to == [frontdesk_a.email]
    assert "C3 首次回复已超时" in message.body
    assert "https://tingjian.example.com/complaints/7/" in message.body
    row = Notification.objects.get()
    assert (row.email_state, row.email_sent_at, row.email_attempts) == (EmailState.SENT, NOW, 1)
    assert send_pending_emails(NOW + datetime.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1


def test_failure_is_recorded_and_retried_after_back_off(frontdesk_a):
    notify(recipients=[frontdesk_a], key="k", title="t")
    with mock.patch("clock.notifications.send_mail", side_effect=ConnectionRefusedError("smtp down")):
        assert send_pending_emails() == 0
    row = Notification.objects.get()
    assert row.email_state == EmailState.FAILED
    assert "smtp down" in row.email_error
    assert row.email_attempts == 1
    assert row.email_next_try_at == NOW + datetime.timedelta(minutes=1)
    # Not before the back-off.
    assert send_pending_emails(NOW + datetime.timedelta(seconds=30)) == 0
    assert len(mail.outbox) == 0
    assert send_pending_emails(NOW + datetime.timedelta(minutes=1)) == 1
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.email_state, row.email_error, row.email_attempts) == (EmailState.SENT, "", 2)


def test_back_off_grows_then_gives_up_visibly(frontdesk_a, caplog):
    notify(recipients=[frontdesk_a], key="k", title="t")
    now = NOW
    waits = []
    with mock.patch("clock.notifications.send_mail", side_effect=OSError("no route")):
        for _attempt in range(EMAIL_MAX_ATTEMPTS):
            send_pending_emails(now)
            row = Notification.objects.get()
            if row.email_next_try_at is None:
                break
            waits.append(row.email_next_try_at - now)
            now = row.email_next_try_at
    minutes = [int(w.total_seconds() // 60) for w in waits]
    assert minutes[:4] == [1, 5, 30, 120]
    assert minutes == sorted(minutes)
    row = Notification.objects.get()
    assert row.email_attempts == EMAIL_MAX_ATTEMPTS
    assert row.email_state == EmailState.FAILED
    assert row.email_next_try_at is None
    assert list(failed_emails()) == [row]
    assert "giving up" in caplog.text
    # Never retried again, but still there.
    assert send_pending_emails(now + datetime.timedelta(days=30)) == 0


def test_a_stale_sending_claim_is_taken_over(frontdesk_a):
    notify(recipients=[frontdesk_a], key="k", title="t")
    Notification.objects.update(email_state=EmailState.SENDING, email_claimed_at=NOW - datetime.timedelta(minutes=5))
    assert send_pending_emails() == 0  # another sender may still be working on it
    assert send_pending_emails(NOW + datetime.timedelta(minutes=6)) == 1


def test_a_second_sender_running_meanwhile_never_sends_the_same_email(frontdesk_a, qa):
    notify(recipients=[frontdesk_a, qa], key="k", title="t")
    real_send_mail = notifications.send_mail
    inner: list[int] = []
    racing = []

    def send_while_another_sender_runs(**kwargs):
        if not racing:
            racing.append(True)
            # Another worker's sender runs while this one is sending its first email.
            inner.append(send_pending_emails())
        return real_send_mail(**kwargs)

    with mock.patch("clock.notifications.send_mail", side_effect=send_while_another_sender_runs):
        outer = send_pending_emails()
    assert (outer, inner) == (1, [1])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([frontdesk_a.email, qa.email])


def test_recipient_who_lost_the_address_is_marked_not_retried(frontdesk_a):
    notify(recipients=[frontdesk_a], key="k", title="t")
    frontdesk_a.email = ""
    frontdesk_a.save(update_fields=["email"])
    assert send_pending_emails() == 0
    assert Notification.objects.get().email_state == EmailState.NONE
