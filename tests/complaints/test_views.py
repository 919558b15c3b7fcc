"""The complaint pages: intake, list, detail, actions, attachments, office isolation."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from complaints.rules import State
from tests.complaints.conftest import TUESDAY_10
from tests.images import PNG

pytestmark = pytest.mark.django_db


def _intake_data(office, **extra):
    data = {
        "form_token": str(uuid.uuid4()),
        "office": office.pk,
        "channel": "phone",
        "kind": "complaint",
        "content": "电梯异响",
        "received_at": "2026-03-10T09:30",
        "contact_name": "王先生",
        "contact_phone": "13700000000",
    }
    data.update(extra)
    return data


def test_c2_intake_page_shows_the_script(frozen, client_a):
    response = client_a.get(reverse("complaints:create"))
    assert response.status_code == 200
    assert "Apologise" in response.content.decode() or "致歉" in response.content.decode()
    assert 'name="form_token"' in response.content.decode()


def test_c2_intake_post_logs_and_redirects(frozen, client_a, office_a):
    response = client_a.post(reverse("complaints:create"), _intake_data(office_a))
    c = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
    assert c.received_at == TUESDAY_10 - datetime.timedelta(minutes=30)


def test_double_submit_through_the_form_makes_one_record(frozen, client_a, office_a):
    data = _intake_data(office_a)
    first = client_a.post(reverse("complaints:create"), data)
    second = client_a.post(reverse("complaints:create"), data)
    assert Complaint.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_c2_intake_refuses_future_time(frozen, client_a, office_a):
    response = client_a.post(reverse("complaints:create"), _intake_data(office_a, received_at="2026-03-10T12:00"))
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_intake_with_a_resident_of_another_office_is_refused(frozen, client_a, office_a, unit_b):
    from tests.factories import ResidentFactory

    other = ResidentFactory(unit=unit_b)
    response = client_a.post(reverse("complaints:create"), _intake_data(office_a, resident=other.pk))
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_outsider_gets_404_on_detail_action_and_attachment(frozen, make_complaint, cs_a, client, frontdesk_b):
    c = make_complaint()
    a = services.attachment_add(complaint=c, by=cs_a, file=SimpleUploadedFile("p.png", PNG))
    client.force_login(frontdesk_b)
    assert client.get(reverse("complaints:detail", args=[c.pk])).status_code == 404
    assert client.post(reverse("complaints:act_respond", args=[c.pk]), {"note": "x"}).status_code == 404
    assert client.get(reverse("complaints:attachment_download", args=[c.pk, a.pk])).status_code == 404
    c.refresh_from_db()
    assert c.state == State.RECEIVED


def test_outsider_list_does_not_show_other_office(frozen, make_complaint, client, frontdesk_b):
    c = make_complaint()
    client.force_login(frontdesk_b)
    response = client.get(reverse("complaints:list"))
    assert response.status_code == 200
    assert c.number not in response.content.decode()


def test_attachment_download_headers(frozen, make_complaint, cs_a, client_a):
    c = make_complaint()
    a = services.attachment_add(complaint=c, by=cs_a, file=SimpleUploadedFile("现场照片.png", PNG))
    response = client_a.get(reverse("complaints:attachment_download", args=[c.pk, a.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_attachment_of_another_complaint_is_404(frozen, make_complaint, cs_a, client_a):
    c1, c2 = make_complaint(), make_complaint()
    a = services.attachment_add(complaint=c1, by=cs_a, file=SimpleUploadedFile("p.png", PNG))
    assert client_a.get(reverse("complaints:attachment_download", args=[c2.pk, a.pk])).status_code == 404


def test_upload_through_the_note_form(frozen, make_complaint, client, cs_a):
    c = make_complaint()
    client.force_login(cs_a)
    response = client.post(
        reverse("complaints:act_note", args=[c.pk]), {"note": "现场照片", "file": SimpleUploadedFile("a.png", PNG)}
    )
    assert response.status_code == 302
    assert c.attachments.count() == 1


def test_get_on_an_action_is_refused(frozen, make_complaint, client_a):
    c = make_complaint()
    assert client_a.get(reverse("complaints:act_respond", args=[c.pk])).status_code == 405


def test_detail_shows_only_allowed_actions(frozen, make_complaint, client_a, client, qa):
    c = make_complaint()
    page = client_a.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert reverse("complaints:act_respond", args=[c.pk]) in page
    assert reverse("complaints:act_tell_result", args=[c.pk]) not in page  # not from "received"
    assert reverse("complaints:act_classify", args=[c.pk]) not in page  # front desk does not classify


def test_forbidden_transition_via_post_is_refused_with_message(frozen, make_complaint, client_a):
    c = make_complaint()
    response = client_a.post(reverse("complaints:act_tell_result", args=[c.pk]), {"result": "done"}, follow=True)
    c.refresh_from_db()
    assert c.state == State.RECEIVED
    assert any("not possible" in str(m) or "不能" in str(m) for m in response.context["messages"])


def test_respond_through_the_page(frozen, make_complaint, client_a):
    c = make_complaint()
    response = client_a.post(reverse("complaints:act_respond", args=[c.pk]), {"how": "call", "note": "已致歉"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.state == State.RESPONDED


def test_free_text_is_escaped(frozen, make_complaint, client_a):
    c = make_complaint(content='<script>alert("x")</script>', contact_name="<b>x</b>")
    for url in (
        reverse("complaints:detail", args=[c.pk]),
        reverse("complaints:list"),
        reverse("complaints:work_log"),
    ):
        body = client_a.get(url).content.decode()
        assert "<script>alert" not in body
        assert "<b>x</b>" not in body


def test_list_query_count_does_not_grow_with_rows(frozen, make_complaint, client_a, django_assert_max_num_queries):
    for _ in range(3):
        make_complaint()
    with django_assert_max_num_queries(14) as small:  # session, user, perms, offices, count, page, nav
        client_a.get(reverse("complaints:list"))
    for _ in range(20):
        make_complaint()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client_a.get(reverse("complaints:list") + "?overdue=&sort=due")
    assert response.status_code == 200


def test_list_filters_overdue(frozen, make_complaint, client_a):
    # Logged on time 5 days ago (issue 9: a receipt back-dated past 3 days runs from its entry).
    frozen.move_to(TUESDAY_10 - datetime.timedelta(days=5))
    old = make_complaint(received_at=TUESDAY_10 - datetime.timedelta(days=5))
    frozen.move_to(TUESDAY_10)
    new = make_complaint()
    body = client_a.get(reverse("complaints:list") + "?overdue=on").content.decode()
    assert old.number in body and new.number not in body
    assert "tj-overdue" in body


def test_work_log_lists_every_complaint(frozen, make_complaint, client_a):
    c = make_complaint(channel="visit")
    body = client_a.get(reverse("complaints:work_log")).content.decode()
    assert c.number in body


def test_return_visit_queue_and_rates(frozen, make_complaint, cs_a, manager_a, qa, client):
    c = make_complaint()
    services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
    c.refresh_from_db()
    c = services.complaint_classify(complaint=c, by=manager_a, complaint_class=1, category="repairs")
    services.complaint_set_handling(complaint=c, by=manager_a, opinion="修", handler=cs_a)
    c.refresh_from_db()
    services.complaint_tell_result(complaint=c, by=cs_a, result="好了")
    c.refresh_from_db()
    services.complaint_decide_return_visit(complaint=c, by=qa, required=True)
    client.force_login(qa)
    body = client.get(reverse("complaints:return_visits")).content.decode()
    assert c.number in body


def test_c12_return_visit_rates_count_the_last_12_months_of_intake(frozen, make_complaint, qa, client):
    """The queue's rates are the office's current work, not all the years kept (cost and meaning)."""
    import datetime

    from django.utils import timezone

    from complaints.models import Complaint

    now = timezone.now()
    recent, old = make_complaint(), make_complaint()
    Complaint.objects.filter(pk=recent.pk).update(result_told_at=now, return_visit_at=now)
    two_years = now - datetime.timedelta(days=730)
    Complaint.objects.filter(pk=old.pk).update(received_at=two_years, result_told_at=two_years)
    client.force_login(qa)
    response = client.get(reverse("complaints:return_visits"))
    rates = response.context["rates"]
    assert (rates.finished, rates.return_visited) == (1, 1)  # the old complaint without a visit is left out
    assert "近 12 个月" in response.content.decode()
