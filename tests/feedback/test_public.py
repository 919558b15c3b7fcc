"""The resident page (F1 online): submit without an account, the private tracking link, each throttle
layer, another resident's token, a double submit, and the solved/satisfied question that reopens."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from clock.models import Notification
from feedback.models import Entry, ResidentPage
from feedback.rules import State
from feedback.services import entry_update
from feedback.services.public import page_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(unit_a) -> ResidentPage:
    return page_for(unit_a.building.community)


def post(
    client, page, *, token=None, content="3号楼电梯经常停运，请尽快维修", phone="13812345678", ip="10.0.0.1", **extra
):
    data = {
        "form_token": str(token or uuid.uuid4()),
        "kind": "service",
        "content": content,
        "building": "",
        "unit_number": "",
        "contact_name": "王先生",
        "contact_phone": phone,
        **extra,
    }
    return client.post(reverse("feedback:resident_page", args=[page.key]), data, REMOTE_ADDR=ip)


def tracking_path(response) -> str:
    match = re.search(r'href="https?://[^"/]+(/feedback/t/[^"]+/)"', response.content.decode())
    assert match, "no tracking link on the thanks page"
    return match.group(1)


def test_f1_resident_page_works_without_an_account_in_chinese(client, page):
    response = client.get(reverse("feedback:resident_page", args=[page.key]))
    assert response.status_code == 200
    html = response.content.decode()
    assert page.community.name in html
    assert "<script" not in html  # works without JavaScript
    assert 'lang="zh-Hans"' in html


def test_f1_resident_message_lands_in_the_register_as_online(client, page, unit_a):
    response = post(client, page, building=str(unit_a.building_id), unit_number=unit_a.number)
    assert response.status_code == 200
    entry = Entry.objects.get()
    assert entry.channel == "online"
    assert entry.kind == "service"
    assert entry.unit == unit_a
    assert entry.office == page.community.office
    assert entry.received_by is None
    assert entry.due_at is not None  # a service request is due by its category's hours


def test_f1_tracking_link_is_random_128_bits_and_only_its_hash_is_stored(client, page, settings):
    settings.SITE_URL = "https://tingjian.example.cn"
    response = post(client, page)
    path = tracking_path(response)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 22  # base64url: 22 characters carry 128 bits; ours carry 192
    entry = Entry.objects.get()
    assert token not in (entry.tracking_hash or "")
    assert "https://tingjian.example.cn/feedback/t/" in response.content.decode()
    # Never derived from the unit or a counter: the next one shares nothing with it.
    other = tracking_path(post(client, page, content="另一条", phone="13900000001", ip="10.0.0.7"))
    assert other.rstrip("/").rsplit("/", 1)[1][:8] != token[:8]


def test_f1_links_never_come_from_the_host_header(client, page, settings):
    settings.SITE_URL = "https://tingjian.example.cn"
    settings.ALLOWED_HOSTS = ["*"]
    response = client.post(
        reverse("feedback:resident_page", args=[page.key]),
        {"form_token": str(uuid.uuid4()), "kind": "opinion", "content": "好", "contact_phone": "13812345678"},
        HTTP_HOST="evil.example.com",
        REMOTE_ADDR="10.0.0.9",
    )
    assert "evil.example.com" not in response.content.decode()


def test_f1_tracking_page_shows_state_and_office_replies_only(client, page, frontdesk_a):
    path = tracking_path(post(client, page))
    entry = Entry.objects.get()
    entry_update(entry=entry, by=frontdesk_a, action="内部备注：联系电梯公司", reply="已安排电梯公司明天上午检修")
    html = client.get(path).content.decode()
    assert "已安排电梯公司明天上午检修" in html
    assert "内部备注" not in html  # what was done internally is not a reply
    assert "王先生" not in html and "13812345678" not in html


def test_f1_another_residents_token_and_unknown_tokens_answer_alike(client, page):
    mine = tracking_path(post(client, page, phone="13800000001", ip="10.0.0.2"))
    post(client, page, phone="13800000002", content="另一位住户的意见", ip="10.0.0.3")
    unknown = client.get(reverse("feedback:tracking", args=["x" * 32]))
    assert unknown.status_code == 404
    mine_html = client.get(mine).content.decode()
    assert "另一位住户的意见" not in mine_html
    used = client.post(reverse("feedback:tracking_answer", args=["x" * 32]), {"solved": "no"})
    assert used.status_code == 404
    assert used.content == unknown.content


def test_f1_double_submit_makes_one_entry_and_the_same_link(client, page):
    token = uuid.uuid4()
    first = post(client, page, token=token)
    second = post(client, page, token=token)
    assert Entry.objects.count() == 1
    assert tracking_path(first) == tracking_path(second)


def test_f1_a_form_token_reused_with_other_content_is_refused(client, page):
    token = uuid.uuid4()
    post(client, page, token=token)
    other = post(client, page, token=token, phone="13900000000", content="别人的留言")
    assert other.status_code == 400
    assert Entry.objects.count() == 1


@override_settings(FEEDBACK_PUBLIC_LIMITS={"per_address_hour": 2})
def test_f1_throttle_per_address_per_hour(client, page):
    for i in range(2):
        assert post(client, page, content=f"留言{i}", phone=f"1380000000{i}").status_code == 200
    response = post(client, page, content="第三条", phone="13800000009")
    assert response.status_code == 429
    assert "一小时" in response.content.decode() or "hour" in response.content.decode()
    assert Entry.objects.count() == 2
    # Another address is not held back.
    assert post(client, page, content="第三条", phone="13800000009", ip="10.9.9.9").status_code == 200


@override_settings(FEEDBACK_PUBLIC_LIMITS={"per_address_hour": 100, "per_address_day": 3})
def test_f1_throttle_per_address_per_day(client, page, time_machine):
    import datetime

    time_machine.move_to(datetime.datetime(2026, 3, 10, 0, 30, tzinfo=datetime.UTC))
    for i in range(3):
        time_machine.shift(datetime.timedelta(hours=2))
        assert post(client, page, content=f"留言{i}", phone=f"1380000000{i}").status_code == 200
    time_machine.shift(datetime.timedelta(hours=2))
    assert post(client, page, content="又一条", phone="13800000008").status_code == 429
    assert Entry.objects.count() == 3


@override_settings(FEEDBACK_PUBLIC_LIMITS={"per_phone_day": 2})
def test_f1_throttle_per_phone_per_day(client, page):
    for i in range(2):
        assert post(client, page, content=f"留言{i}", ip=f"10.0.1.{i}").status_code == 200
    response = post(client, page, content="第三条", ip="10.0.1.9")
    assert response.status_code == 429
    assert Entry.objects.count() == 2


def test_f1_throttle_same_text_twice(client, page):
    assert post(client, page, content="小区门口有积水", phone="13800000001", ip="10.0.2.1").status_code == 200
    response = post(client, page, content="小区门口有积水", phone="13800000002", ip="10.0.2.2")
    assert response.status_code == 429
    assert Entry.objects.count() == 1


@override_settings(FEEDBACK_PUBLIC_LIMITS={"site_day": 2})
def test_f1_throttle_site_wide_daily_cap(client, page):
    for i in range(2):
        assert post(client, page, content=f"留言{i}", phone=f"1380000000{i}", ip=f"10.0.3.{i}").status_code == 200
    response = post(client, page, content="第三条", phone="13800000005", ip="10.0.3.9")
    assert response.status_code == 429
    assert Entry.objects.count() == 2


def test_f1_not_solved_reopens_and_notifies_the_office(client, page, frontdesk_a):
    path = tracking_path(post(client, page))
    entry = Entry.objects.get()
    entry_update(entry=entry, by=frontdesk_a, state=State.DONE, outcome="电梯已修好", reply="电梯已修好，请您确认")
    html = client.get(path).content.decode()
    assert 'name="solved"' in html
    answer_url = path + "answer/"
    response = client.post(answer_url, {"solved": "no", "note": "还是经常停"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == State.OPEN
    assert entry.reopen_count == 1
    assert Notification.objects.filter(recipient=frontdesk_a, title__contains=entry.number).exists()
    # Asked once: a second answer is refused like an unknown token.
    again = client.post(answer_url, {"solved": "yes"})
    assert again.status_code == 404
    entry.refresh_from_db()
    assert entry.state == State.OPEN


def test_f1_solved_closes_the_entry(client, page, frontdesk_a):
    path = tracking_path(post(client, page))
    entry = Entry.objects.get()
    entry_update(entry=entry, by=frontdesk_a, state=State.DONE, outcome="已处理")
    client.post(path + "answer/", {"solved": "yes"})
    entry.refresh_from_db()
    assert entry.state == State.CLOSED
    assert entry.resident_solved is True
    assert 'name="solved"' not in client.get(path).content.decode()


def test_f1_renewed_page_key_stops_the_old_address(client, page, frontdesk_a):
    client.force_login(frontdesk_a)
    old = page.key
    client.post(reverse("feedback:page_renew", args=[page.community_id]))
    page.refresh_from_db()
    assert page.key != old
    client.logout()
    assert client.get(reverse("feedback:resident_page", args=[old])).status_code == 404


def test_f1_qr_code_is_built_from_site_url(client, page, frontdesk_a, settings):
    client.force_login(frontdesk_a)
    response = client.get(reverse("feedback:page_qr", args=[page.community_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_f1_a_long_closed_entrys_token_answers_like_an_unknown_one(client, page, frontdesk_a, time_machine):
    import datetime

    time_machine.move_to(datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC))
    path = tracking_path(post(client, page))
    entry = Entry.objects.get()
    entry_update(entry=entry, by=frontdesk_a, state=State.CLOSED, outcome="已处理")
    assert client.get(path).status_code == 200
    time_machine.shift(datetime.timedelta(days=91))
    closed = client.get(path)
    unknown = client.get(reverse("feedback:tracking", args=["y" * 32]))
    assert closed.status_code == unknown.status_code == 404
    assert closed.content == unknown.content
