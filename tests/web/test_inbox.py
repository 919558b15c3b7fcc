"""The inbox: only one's own notifications; opening one marks it read and follows local links only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clock.models import Notification


def open_url(notification) -> str:
    return reverse("notification_open", kwargs={"notification_id": notification.pk})


def test_inbox_lists_only_own_notifications_unread_in_bold(client_a, frontdesk_a, frontdesk_b, make_notification):
    unread = make_notification(frontdesk_a, title="未读的提醒")
    make_notification(frontdesk_a, title="已读的提醒", read=True)
    make_notification(frontdesk_b, title="别人的提醒")
    response = client_a.get(reverse("inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "已读的提醒" in html
    assert "别人的提醒" not in html
    assert [n.recipient_id for n in response.context["notifications"]] == [frontdesk_a.pk] * 2
    start = html.index(open_url(unread))
    assert "fw-bold" in html[start : html.index("</button>", start)]
    assert response.context["unread_count"] == 1


def test_a_message_of_several_lines_shows_each_on_its_own_line_escaped(client_a, frontdesk_a, make_notification):
    n = make_notification(frontdesk_a, title="您的导出已生成")
    Notification.objects.filter(pk=n.pk).update(body="工作信息记录本\n<b>7 天</b>内可下载")
    html = client_a.get(reverse("inbox")).content.decode()
    assert "工作信息记录本<br>&lt;b&gt;7 天&lt;/b&gt;内可下载" in html


def test_inbox_is_paginated(client_a, frontdesk_a, make_notification, django_assert_max_num_queries):
    for _ in range(30):
        make_notification(frontdesk_a)
    with django_assert_max_num_queries(12):
        first = client_a.get(reverse("inbox"))
    assert len(first.context["notifications"]) == 25
    second = client_a.get(reverse("inbox") + "?page=2")
    assert len(second.context["notifications"]) == 5
    assert client_a.get(reverse("inbox") + "?page=999").status_code == 200


def test_inbox_requires_login(client, db):
    assert client.get(reverse("inbox")).status_code == 302


def test_open_marks_read_and_follows_a_local_link(client_a, frontdesk_a, make_notification):
    n = make_notification(frontdesk_a, link="/complaints/12/")
    response = client_a.post(open_url(n))
    assert response.status_code == 302
    assert response["Location"] == "/complaints/12/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_open_twice_keeps_the_first_read_time(client_a, frontdesk_a, make_notification):
    n = make_notification(frontdesk_a, link="/inbox/")
    client_a.post(open_url(n))
    n.refresh_from_db()
    first = n.read_at
    client_a.post(open_url(n))
    n.refresh_from_db()
    assert n.read_at == first


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/",
        "//evil.example.com/x",
        "javascript:alert(1)",
        "/\\evil.example.com",
        "relative/path",
        "",
    ],
)
def test_open_never_follows_a_foreign_link(client_a, frontdesk_a, make_notification, link):
    n = make_notification(frontdesk_a, link=link)
    response = client_a.post(open_url(n))
    assert response.status_code == 302
    assert response["Location"] == reverse("inbox")


def test_open_is_404_for_another_user_and_changes_nothing(client, frontdesk_a, frontdesk_b, make_notification):
    n = make_notification(frontdesk_a, link="/complaints/12/")
    client.force_login(frontdesk_b)
    assert client.post(open_url(n)).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_open_is_404_for_a_company_wide_role_too(client, qa, frontdesk_a, make_notification):
    # A QA user sees every office, but not another person's inbox.
    n = make_notification(frontdesk_a)
    client.force_login(qa)
    assert client.post(open_url(n)).status_code == 404


def test_open_is_post_only(client_a, frontdesk_a, make_notification):
    n = make_notification(frontdesk_a, link="/complaints/12/")
    assert client_a.get(open_url(n)).status_code == 405
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_touches_only_own_unread(client_a, frontdesk_a, frontdesk_b, make_notification):
    mine = [make_notification(frontdesk_a) for _ in range(3)]
    theirs = make_notification(frontdesk_b)
    assert client_a.get(reverse("inbox_mark_all_read")).status_code == 405
    response = client_a.post(reverse("inbox_mark_all_read"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("inbox")
    assert "已将 3 条消息标为已读。" in response.content.decode()
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unread_badge_in_the_header(client_a, frontdesk_a, make_notification):
    for _ in range(2):
        make_notification(frontdesk_a)
    make_notification(frontdesk_a, read=True)
    html = client_a.get(reverse("dashboard")).content.decode()
    start = html.index('data-nav="inbox"')
    assert ">2</span>" in html[start : html.index("</a>", start)]
