"""Hardening issue, item 9: emails leave in batches over one SMTP connection — 500 overdue deadlines'
emails go out in one run of the sender, not 50 a minute."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from clock.models import EmailState, Notification
from clock.services import notify
from clock.tasks import send_notifications

pytestmark = pytest.mark.django_db


class CountingBackend(EmailBackend):
    """The locmem backend, counting connections made (one backend instance is one SMTP connection)."""

    opened = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type(self).opened += 1


def test_500_emails_leave_in_one_run_over_few_connections(settings, frontdesk_a):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = 0
    for i in range(500):
        notify(recipients=[frontdesk_a], key=f"breach-{i}", title=f"逾期 {i}")
    assert send_notifications() == 500
    assert len(mail.outbox) == 500
    assert not Notification.objects.exclude(email_state=EmailState.SENT).exists()
    # One connection per batch of 200 (three batches), not one per email.
    assert CountingBackend.opened <= 3
