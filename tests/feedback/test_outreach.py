"""Forums and home visits (F3): each opinion a register entry linked to the event; closing needs the record."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback.models import Entry, OutreachState
from feedback.services import outreach_add_opinion, outreach_close, outreach_create
from tests.feedback.conftest import SH

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.datetime(2026, 3, 9, 15, 0, tzinfo=SH)


def test_f3_forum_opinions_become_register_entries_linked_to_it(frozen, office_a, frontdesk_a, unit_a):
    forum = outreach_create(
        office=office_a,
        by=frontdesk_a,
        kind="forum",
        held_at=YESTERDAY,
        community=unit_a.building.community,
        households=18,
        place="会所二楼",
    )
    entry = outreach_add_opinion(event=forum, by=frontdesk_a, kind="suggestion", content="希望增加儿童游乐设施")
    assert entry.channel == "forum"
    assert entry.outreach == forum
    assert entry.received_at == YESTERDAY
    assert list(forum.entries.all()) == [entry]


def test_f3_home_visit_names_the_household(frozen, office_a, frontdesk_a, unit_a):
    with pytest.raises(ValidationError):
        outreach_create(office=office_a, by=frontdesk_a, kind="home_visit", held_at=YESTERDAY)
    visit = outreach_create(office=office_a, by=frontdesk_a, kind="home_visit", held_at=YESTERDAY, unit=unit_a)
    entry = outreach_add_opinion(event=visit, by=frontdesk_a, kind="opinion", content="楼道灯常坏")
    assert entry.channel == "home_visit"
    assert entry.unit == unit_a


def test_f3_closing_requires_the_record_and_freezes_the_opinions(frozen, office_a, frontdesk_a):
    forum = outreach_create(office=office_a, by=frontdesk_a, kind="forum", held_at=YESTERDAY, households=5)
    with pytest.raises(ValidationError):
        outreach_close(event=forum, by=frontdesk_a, record="  ")
    forum = outreach_close(event=forum, by=frontdesk_a, record="到会业主5户，主要意见：绿化、停车")
    assert forum.state == OutreachState.CLOSED
    with pytest.raises(ValidationError):
        outreach_add_opinion(event=forum, by=frontdesk_a, kind="opinion", content="晚到的意见")


def test_f3_pages_record_a_forum_and_its_opinion(frozen, client_a, office_a):
    response = client_a.post(
        reverse("feedback:outreach_create"),
        {"kind": "forum", "office": office_a.pk, "held_at": "2026-03-09T15:00", "households": "12", "place": "会所"},
    )
    assert response.status_code == 302
    forum = office_a.feedback_outreach.get()
    client_a.post(reverse("feedback:outreach_opinion", args=[forum.pk]), {"kind": "opinion", "content": "门禁常坏"})
    assert Entry.objects.filter(outreach=forum, content="门禁常坏").exists()
    client_a.post(reverse("feedback:outreach_close", args=[forum.pk]), {"record": "会议纪要"})
    forum.refresh_from_db()
    assert forum.is_closed


def test_f3_outsider_gets_404(frozen, client, office_a, frontdesk_a, frontdesk_b):
    forum = outreach_create(office=office_a, by=frontdesk_a, kind="forum", held_at=YESTERDAY, households=5)
    client.force_login(frontdesk_b)
    assert client.get(forum.get_absolute_url()).status_code == 404
