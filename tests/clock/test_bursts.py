"""Issue 9: a burst of breaches (or warnings) of the same rule and office is one message with a count,
per recipient, with one email; a single event stays the individual message (clock.bursts).

Complaints are logged through the intake service, so their C3 deadlines, numbers and links are the
product's own; the sweeper runs as beat runs it."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from clock import sweeper
from clock.models import Deadline, Notification
from clock.notifications import send_pending_emails
from clock.sweeper import sweep
from clock.worktime import SHANGHAI
from complaints.services import complaint_create
from estates.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A plain Tuesday before working time: C3 is due 24 hours later (received outside working time).
RECEIVED = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=SHANGHAI)
DUE = datetime.datetime(2026, 3, 11, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def cs_a(office_a):
    return UserFactory(username="cs_a", role=Role.CS_ASSISTANT, company=office_a.company, offices=[office_a])


@pytest.fixture
def cs_b(office_b):
    return UserFactory(username="cs_b", role=Role.CS_ASSISTANT, company=office_b.company, offices=[office_b])


@pytest.fixture
def staff(cs_a, cs_b, qa, frontdesk_a):
    return {"cs_a": cs_a, "cs_b": cs_b, "qa": qa, "frontdesk_a": frontdesk_a}


def log(office, by, count: int, at: datetime.datetime = RECEIVED) -> list:
    with time_machine.travel(at, tick=False):
        return [
            complaint_create(
                office=office,
                received_by=by,
                channel="phone",
                content=f"楼道灯不亮 {office.code} {n}",
                contact_name="李女士",
                contact_phone="13912345678",
            )
            for n in range(count)
        ]


def sweep_at(moment: datetime.datetime):
    with time_machine.travel(moment, tick=False):
        return sweep()


def inbox(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("created_at", "pk"))


def new_since(user, before: set[int]) -> list[Notification]:
    return [n for n in inbox(user) if n.pk not in before]


def new_breaches(user, before: set[int]) -> list[Notification]:
    """New messages about breaches (a later burst is warned before it breaches: that is its own message)."""
    return [n for n in new_since(user, before) if n.message["burst"]["kind"] == "breach"]


def seen(*users) -> dict:
    return {u.username: {n.pk for n in inbox(u)} for u in users}


def rendered(note: Notification, language: str) -> tuple[str, str]:
    with translation.override(language):
        return note.display_title, note.display_body


def test_c3_due_time_is_what_this_file_assumes(office_a, frontdesk_a):
    [complaint] = log(office_a, frontdesk_a, 1)
    assert Deadline.objects.get(subject_id=complaint.pk, rule="C3").due_at == DUE


def test_twelve_c3_breaches_in_one_office_are_one_message_per_recipient_with_the_count(client, office_a, staff):
    complaints = log(office_a, staff["frontdesk_a"], 12)
    before = seen(staff["cs_a"], staff["qa"])
    assert sweep_at(DUE + datetime.timedelta(minutes=1)).breached == 12
    link = f"/complaints/?office={office_a.pk}&overdue=on"
    numbers = sorted(c.number for c in complaints)
    for user in (staff["cs_a"], staff["qa"]):
        [note] = new_since(user, before[user.username])
        title, body = rendered(note, "zh-hans")
        assert title == "科信管理处：12 件投诉超过 C3 首次回复期限"
        assert "其中有 " + "、".join(numbers[:5]) + "，另有 7 项。" in body
        assert "打开列表查看全部。" in body
        assert "2026-03-11 08:00" in body
        title, body = rendered(note, "en")
        assert title == "科信管理处: 12 complaints past the C3 first response deadline"
        assert "Among them " + ", ".join(numbers[:5]) + ", and 7 more." in body
        assert note.link == link
        # Numbers only: never the resident (PIPL).
        assert "李女士" not in title + body and "13912345678" not in title + body
    # Opening it marks it read and leads to the office's overdue complaints: all twelve are listed.
    client.force_login(staff["cs_a"])
    [note] = new_since(staff["cs_a"], before["cs_a"])
    with time_machine.travel(DUE + datetime.timedelta(minutes=2), tick=False):
        response = client.post(reverse("notification_open", kwargs={"notification_id": note.pk}))
        assert response.status_code == 302 and response.url == link
        html = client.get(response.url).content.decode()
    assert all(number in html for number in numbers)
    note.refresh_from_db()
    assert note.read_at is not None
    # Nobody of office B hears of it.
    assert not new_since(staff["cs_b"], set())


def test_two_offices_make_two_messages(office_a, office_b, staff):
    log(office_a, staff["frontdesk_a"], 12)
    log(office_b, UserFactory(role=Role.FRONT_DESK, company=office_b.company, offices=[office_b]), 3)
    before = seen(staff["qa"], staff["cs_a"], staff["cs_b"])
    assert sweep_at(DUE + datetime.timedelta(minutes=1)).breached == 15
    titles = sorted(rendered(n, "zh-hans")[0] for n in new_since(staff["qa"], before["qa"]))
    assert titles == ["科信管理处：12 件投诉超过 C3 首次回复期限", "翠湖管理处：3 件投诉超过 C3 首次回复期限"]
    assert [rendered(n, "zh-hans")[0] for n in new_since(staff["cs_a"], before["cs_a"])] == [
        "科信管理处：12 件投诉超过 C3 首次回复期限"
    ]
    [note_b] = new_since(staff["cs_b"], before["cs_b"])
    assert rendered(note_b, "zh-hans")[0] == "翠湖管理处：3 件投诉超过 C3 首次回复期限"
    assert rendered(note_b, "en")[1].startswith("Due at 2026-03-11 08:00.\nThey are ")
    assert note_b.link == f"/complaints/?office={office_b.pk}&overdue=on"


def test_one_breach_stays_the_individual_message(office_a, staff):
    [complaint] = log(office_a, staff["frontdesk_a"], 1)
    before = seen(staff["cs_a"], staff["qa"])
    sweep_at(DUE + datetime.timedelta(minutes=1))
    for user in (staff["cs_a"], staff["qa"]):
        [note] = new_since(user, before[user.username])
        title, body = rendered(note, "en")
        assert title == f"Overdue: First response to complaint {complaint.number}"
        assert f"C3 First response to complaint {complaint.number} was due at 2026-03-11 08:00" in body
        assert note.link == complaint.get_absolute_url()
        assert note.deadline.subject_id == complaint.pk


def test_a_burst_is_one_email_per_recipient_in_their_language(office_a, staff, settings):
    staff["qa"].language = "en"
    staff["qa"].save(update_fields=["language"])
    log(office_a, staff["frontdesk_a"], 12)
    mail.outbox.clear()
    with translation.override("zh-hans"), time_machine.travel(DUE + datetime.timedelta(minutes=1), tick=False):
        sweep()
        send_pending_emails()
    sent = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == len(sent) == 2  # one each for cs_a and QA
    assert sent[staff["cs_a"].email].subject == "科信管理处：12 件投诉超过 C3 首次回复期限"
    assert sent[staff["qa"].email].subject == "科信管理处: 12 complaints past the C3 first response deadline"
    assert f"{settings.SITE_URL}/complaints/?office={office_a.pk}&overdue=on" in sent[staff["qa"].email].body
    assert "and 7 more" in sent[staff["qa"].email].body


def test_a_single_breach_is_the_individual_email(office_a, staff):
    [complaint] = log(office_a, staff["frontdesk_a"], 1)
    mail.outbox.clear()
    with translation.override("zh-hans"), time_machine.travel(DUE + datetime.timedelta(minutes=1), tick=False):
        sweep()
        send_pending_emails()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff["cs_a"].email, staff["qa"].email])
    assert all(complaint.number in m.subject and "已超期" in m.subject for m in mail.outbox)


def test_a_warning_burst_is_one_message_to_the_responsible_role(office_a, staff):
    complaints = log(office_a, staff["frontdesk_a"], 6)
    warn_at = Deadline.objects.get(subject_id=complaints[0].pk, rule="C3").warn_at
    before = seen(staff["cs_a"], staff["qa"])
    assert sweep_at(warn_at).warned == 6
    [note] = new_since(staff["cs_a"], before["cs_a"])
    assert rendered(note, "zh-hans")[0] == "科信管理处：6 件投诉即将超过 C3 首次回复期限"
    assert rendered(note, "en")[0] == "科信管理处: 6 complaints about to pass the C3 first response deadline"
    assert note.link == f"/complaints/?office={office_a.pk}&sort=due"
    assert not new_since(staff["qa"], before["qa"])  # a warning goes to the responsible role only
    # The breach later is a burst of its own kind: a second message.
    sweep_at(DUE + datetime.timedelta(minutes=1))
    titles = [rendered(n, "zh-hans")[0] for n in new_since(staff["cs_a"], before["cs_a"])]
    assert titles == ["科信管理处：6 件投诉即将超过 C3 首次回复期限", "科信管理处：6 件投诉超过 C3 首次回复期限"]


def test_a_burst_split_across_two_sweeps_is_still_one_message_and_its_email_follows(office_a, staff):
    first = log(office_a, staff["frontdesk_a"], 7)
    second = log(office_a, staff["frontdesk_a"], 5, at=RECEIVED + datetime.timedelta(minutes=1))
    before = seen(staff["cs_a"])
    mail.outbox.clear()
    with translation.override("zh-hans"):
        assert sweep_at(DUE).breached == 7
        with time_machine.travel(DUE, tick=False):
            send_pending_emails()
        assert sweep_at(DUE + datetime.timedelta(minutes=1)).breached == 5
        with time_machine.travel(DUE + datetime.timedelta(minutes=1), tick=False):
            send_pending_emails()
    [note] = new_breaches(staff["cs_a"], before["cs_a"])
    title, body = rendered(note, "zh-hans")
    assert title == "科信管理处：12 件投诉超过 C3 首次回复期限"
    assert "到期时间：2026-03-11 08:00 至 2026-03-11 08:01。" in body
    assert first[0].number in body and second[0].number not in body  # the first five named, in order
    # Its email told 7, then, once, the new count.
    subjects = [m.subject for m in mail.outbox if m.to == [staff["cs_a"].email] and "即将" not in m.subject]
    assert subjects == ["科信管理处：7 件投诉超过 C3 首次回复期限", "科信管理处：12 件投诉超过 C3 首次回复期限"]


def test_a_single_breach_then_more_of_its_burst_become_one_message(office_a, staff):
    [alone] = log(office_a, staff["frontdesk_a"], 1)
    log(office_a, staff["frontdesk_a"], 4, at=RECEIVED + datetime.timedelta(minutes=1))
    before = seen(staff["cs_a"])
    sweep_at(DUE)
    [note] = new_breaches(staff["cs_a"], before["cs_a"])
    assert alone.number in rendered(note, "en")[0]  # alone so far: the individual message
    sweep_at(DUE + datetime.timedelta(minutes=1))
    [note] = new_breaches(staff["cs_a"], before["cs_a"])
    title, body = rendered(note, "en")
    assert title == "科信管理处: 5 complaints past the C3 first response deadline"
    assert body.startswith(f"Due between 2026-03-11 08:00 and 2026-03-11 08:01.\nThey are {alone.number}, ")
    assert note.link == f"/complaints/?office={office_a.pk}&overdue=on"


def test_a_read_message_is_never_changed_later_events_make_a_new_one(office_a, staff):
    log(office_a, staff["frontdesk_a"], 7)
    log(office_a, staff["frontdesk_a"], 5, at=RECEIVED + datetime.timedelta(minutes=1))
    before = seen(staff["cs_a"])
    sweep_at(DUE)
    [read] = new_breaches(staff["cs_a"], before["cs_a"])
    Notification.objects.filter(pk=read.pk).update(read_at=DUE)
    sweep_at(DUE + datetime.timedelta(minutes=1))
    titles = [rendered(n, "zh-hans")[0] for n in new_breaches(staff["cs_a"], before["cs_a"])]
    assert titles == ["科信管理处：7 件投诉超过 C3 首次回复期限", "科信管理处：5 件投诉超过 C3 首次回复期限"]


def test_a_burst_older_than_the_fold_window_is_not_added_to(office_a, staff):
    log(office_a, staff["frontdesk_a"], 3)
    log(office_a, staff["frontdesk_a"], 2, at=RECEIVED + datetime.timedelta(minutes=15))
    before = seen(staff["cs_a"])
    sweep_at(DUE)
    sweep_at(DUE + datetime.timedelta(minutes=15))
    titles = [rendered(n, "zh-hans")[0] for n in new_breaches(staff["cs_a"], before["cs_a"])]
    assert titles == ["科信管理处：3 件投诉超过 C3 首次回复期限", "科信管理处：2 件投诉超过 C3 首次回复期限"]


def test_a_burst_larger_than_a_batch_is_one_message(office_a, staff, monkeypatch):
    monkeypatch.setattr(sweeper, "BATCH", 5)
    log(office_a, staff["frontdesk_a"], 12)
    before = seen(staff["cs_a"], staff["qa"])
    assert sweep_at(DUE + datetime.timedelta(minutes=1)).breached == 12
    for user in (staff["cs_a"], staff["qa"]):
        [note] = new_since(user, before[user.username])
        assert rendered(note, "zh-hans")[0] == "科信管理处：12 件投诉超过 C3 首次回复期限"
        assert sorted(note.message["burst"]["deadlines"]) == sorted(
            Deadline.objects.filter(rule="C3").values_list("pk", flat=True)
        )


def test_when_the_batch_fails_the_single_steps_still_make_one_message_and_the_retry_joins_it(office_a, staff):
    complaints = log(office_a, staff["frontdesk_a"], 12)
    bad = Deadline.objects.get(subject_id=complaints[0].pk, rule="C3")
    real = sweeper._message

    def broken_for_one(event):
        if event.deadline_id == bad.pk:
            raise RuntimeError("template exploded")
        return real(event)

    before = seen(staff["cs_a"])
    with mock.patch("clock.sweeper._message", side_effect=broken_for_one):
        sweep_at(DUE + datetime.timedelta(minutes=1))
    [note] = new_since(staff["cs_a"], before["cs_a"])
    assert rendered(note, "zh-hans")[0] == "科信管理处：11 件投诉超过 C3 首次回复期限"
    sweep_at(DUE + datetime.timedelta(minutes=2))  # the back-off of the failed one has passed
    [note] = new_since(staff["cs_a"], before["cs_a"])
    title, body = rendered(note, "zh-hans")
    assert title == "科信管理处：12 件投诉超过 C3 首次回复期限"


def test_a_rearmed_warning_of_a_deadline_already_counted_is_told_again(office_a, staff):
    """A deadline the unread message already counts is not counted twice: its new event is news."""
    from clock import services

    complaints = log(office_a, staff["frontdesk_a"], 2)
    deadline = Deadline.objects.get(subject_id=complaints[0].pk, rule="C3")
    before = seen(staff["cs_a"])
    sweep_at(deadline.warn_at)
    with time_machine.travel(deadline.warn_at + datetime.timedelta(minutes=1), tick=False):
        services.deadline_reschedule(deadline=deadline, due_at=deadline.due_at + datetime.timedelta(minutes=30))
    deadline.refresh_from_db()
    sweep_at(deadline.warn_at + datetime.timedelta(minutes=1))
    notes = new_since(staff["cs_a"], before["cs_a"])
    assert [rendered(n, "zh-hans")[0] for n in notes][0] == "科信管理处：2 件投诉即将超过 C3 首次回复期限"
    assert len(notes) == 2 and complaints[0].number in rendered(notes[1], "en")[0]


def test_every_process_app_names_its_rules_for_a_grouped_message():
    from clock.titles import count_of, rule_label

    with translation.override("zh-hans"):
        assert (rule_label("C3"), count_of("C3", 12)) == ("C3 首次回复", "12 件投诉")
        assert (rule_label("C8-DL"), rule_label("C11")) == ("C8-DL 限期处理", "C11 措施报质管部")
        assert (rule_label("S5"), count_of("S5", 3)) == ("S5 发放问卷", "3 个调查轮次")
        assert (rule_label("F1"), count_of("F1", 4)) == ("F1 服务要求", "4 项服务要求")
        assert (rule_label("ZZ9"), count_of("ZZ9", 2)) == ("ZZ9", "2 项")  # unknown: the code and a neutral count
    with translation.override("en"):
        assert (rule_label("C3"), count_of("C3", 1), count_of("C3", 2)) == (
            "C3 first response",
            "1 complaint",
            "2 complaints",
        )
