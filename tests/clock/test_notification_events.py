"""Issue 6 sections 5-6: one failing event never stops the next; failures are retried with back-off
and shown to the company admin; notifications and emails are in the reader's language."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from clock import sweeper
from clock.deadlines import DeadlineSpec, Measure, deadline_sync, register_rule
from clock.models import DeadlineEvent, Notification
from clock.notifications import send_pending_emails
from clock.selectors import notification_problems, subject_deadlines
from clock.sweeper import sweep
from clock.worktime import SHANGHAI
from estates.models import Role
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)

register_rule("X3", "%(number)s first response", app="tests.clock.events")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def overdue(office, number: str):
    unit = UnitFactory(building__community__office=office)
    deadline_sync(
        unit,
        [
            DeadlineSpec(
                rule="X3",
                basis=NOW - datetime.timedelta(hours=2),
                measure=Measure.WALL_HOURS,
                amount=1,
                office=office,
                company=None,
                responsible_user_id=None,
                responsible_department_id=None,
                responsible_role=Role.FRONT_DESK,
                escalate_roles=(Role.QA_STAFF,),
                params={"number": number},
                link="/x/",
            )
        ],
    )
    return subject_deadlines(unit).get()


def test_a_failing_event_does_not_stop_the_next_and_is_retried_with_back_off(office_a, frontdesk_a, qa):
    first, second = overdue(office_a, "TS-1"), overdue(office_a, "TS-2")
    real = sweeper._message

    def broken_for_the_first(event):
        if event.deadline_id == first.pk:
            raise RuntimeError("template exploded")
        return real(event)

    with mock.patch("clock.sweeper._message", side_effect=broken_for_the_first):
        result = sweep()
    assert result.breached == 2
    # The second event was notified although the first failed before it.
    assert Notification.objects.filter(deadline=second, recipient=frontdesk_a).exists()
    assert not Notification.objects.filter(deadline=first).exists()
    failed = DeadlineEvent.objects.get(deadline=first)
    assert (failed.attempts, failed.notified_at) == (1, None)
    assert "template exploded" in failed.error
    assert failed.next_try_at == NOW + datetime.timedelta(minutes=1)
    assert notification_problems()["events"] == [failed]
    # Not before the back-off; then delivered, and the error cleared.
    sweep(NOW + datetime.timedelta(seconds=30))
    assert not Notification.objects.filter(deadline=first).exists()
    sweep(NOW + datetime.timedelta(minutes=1))
    # Delivered into QA's still-unread message of the same burst (X3, office A, issue 9): one message
    # that now counts both, and names the retried one.
    inbox = Notification.objects.filter(recipient=qa)
    assert inbox.count() == 1
    with translation.override("en"):
        note = inbox.get()
        assert note.display_title == "科信管理处: 2 items past the X3 deadline"
        assert "They are TS-2, TS-1." in note.display_body  # in the order they were told
    failed.refresh_from_db()
    assert failed.notified_at is not None and failed.error == "" and failed.attempts == 2
    assert notification_problems()["events"] == []


def test_the_company_admin_sees_an_undelivered_notification_on_the_calendar_page(
    client, office_a, frontdesk_a, company_admin
):
    deadline = overdue(office_a, "TS-9")
    with mock.patch("clock.sweeper._message", side_effect=RuntimeError("smtp template")):
        sweep()
    client.force_login(company_admin)
    html = client.get(reverse("clock:overview")).content.decode()
    assert "smtp template" in html
    assert "TS-9" in html and deadline.rule in html


def test_notifications_render_in_the_readers_language(office_a, frontdesk_a):
    deadline = overdue(office_a, "TS-2026-000007")
    sweep()
    note = Notification.objects.get(deadline=deadline, recipient=frontdesk_a)
    with translation.override("en"):
        assert note.display_title == "Overdue: TS-2026-000007 first response"
        assert "was due at" in note.display_body and "Management office" in note.display_body
    with translation.override("zh-hans"):
        assert note.display_title == "已超期：TS-2026-000007 first response"
        assert "管理处：" in note.display_body


def test_emails_go_out_in_the_recipients_language(office_a, frontdesk_a, qa):
    frontdesk_a.language = "en"
    frontdesk_a.save(update_fields=["language"])
    overdue(office_a, "TS-3")
    with translation.override("zh-hans"):  # whoever runs the sender
        sweep()
        send_pending_emails()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[frontdesk_a.email] == "Overdue: TS-3 first response"
    assert subjects[qa.email] == "已超期：TS-3 first response"
