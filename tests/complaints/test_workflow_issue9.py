"""Issue 9: C12 an important complaint's return visit is QA's and complaints awaiting QA's decision are
in QA's queue (item 5); C14 approval by the department's manager only (item 6); a refused action
keeps what was typed (item 8); a crafted POST of a form the role cannot see says why (item 9)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import services
from complaints.rules import State

pytestmark = pytest.mark.django_db


def _told(c, cs_a, manager_a, *, important=False):
    c = services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
    c = services.complaint_classify(
        complaint=c, by=manager_a, complaint_class=1, category="repairs", important=important
    )
    c = services.complaint_set_handling(complaint=c, by=manager_a, opinion="修", handler=cs_a)
    return services.complaint_tell_result(complaint=c, by=cs_a, result="已修好")


def test_c12_important_return_visit_is_recorded_by_qa_only(frozen, make_complaint, cs_a, manager_a, qa, client):
    c = _told(make_complaint(), cs_a, manager_a, important=True)
    c = services.complaint_decide_return_visit(complaint=c, by=qa, required=True)
    assert c.state == State.AWAITING_RETURN_VISIT
    with pytest.raises(ValidationError):
        services.complaint_record_return_visit(complaint=c, by=cs_a, satisfied=True)
    client.force_login(cs_a)
    assert reverse("complaints:act_record_rv", args=[c.pk]) not in client.get(c.get_absolute_url()).content.decode()
    client.force_login(qa)
    assert reverse("complaints:act_record_rv", args=[c.pk]) in client.get(c.get_absolute_url()).content.decode()
    c = services.complaint_record_return_visit(complaint=c, by=qa, satisfied=True)
    assert c.state == State.CLOSED


def test_c12_ordinary_return_visit_may_be_recorded_by_customer_service(frozen, make_complaint, cs_a, manager_a, qa):
    c = _told(make_complaint(), cs_a, manager_a)
    c = services.complaint_decide_return_visit(complaint=c, by=qa, required=True)
    assert services.complaint_record_return_visit(complaint=c, by=cs_a, satisfied=True).state == State.CLOSED


def test_c12_awaiting_qa_decision_is_in_qas_return_visit_queue(frozen, make_complaint, cs_a, manager_a, qa, client):
    c = _told(make_complaint(), cs_a, manager_a)
    client.force_login(qa)
    html = client.get(reverse("complaints:return_visits")).content.decode()
    assert c.number in html
    assert "：" in html  # the rates with a full-width colon
    client.force_login(cs_a)
    assert c.number not in client.get(reverse("complaints:return_visits")).content.decode()


# C14 approval (item 6) ---------------------------------------------------------------------


def _january_summary(make_complaint, department):
    import datetime

    import time_machine

    from complaints.reports import services as report_services
    from tests.complaints.conftest import SH

    jan = datetime.datetime(2026, 1, 13, 10, 0, tzinfo=SH)
    with time_machine.travel(jan, tick=False):
        make_complaint(received_at=jan, department=department)
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, 0, tzinfo=SH), tick=False):
        summary, _created = report_services.monthly_summary_generate(
            department=department, month=datetime.date(2026, 1, 1)
        )
    return summary


def test_c14_company_admin_and_superuser_never_approve(make_complaint, engineering_a, company, client):
    from complaints.reports import services as report_services
    from complaints.reports.selectors import may_approve
    from estates.models import Role
    from tests.factories import UserFactory

    UserFactory(role=Role.DEPT_MANAGER, company=company, offices=[engineering_a.office], department=engineering_a)
    summary = _january_summary(make_complaint, engineering_a)
    admin = UserFactory(role=Role.COMPANY_ADMIN, company=company, is_superuser=True, is_staff=True)
    assert not may_approve(admin, summary)
    with pytest.raises(ValidationError):
        report_services.monthly_summary_approve(summary=summary, by=admin)
    client.force_login(admin)
    page = client.get(summary.get_absolute_url()).content.decode()
    assert reverse("complaints:summary_approve", args=[summary.pk]) not in page


def test_c14_department_without_a_manager_is_approved_by_its_office_manager(
    make_complaint, engineering_a, company, manager_a
):
    from complaints.reports import services as report_services
    from complaints.reports.selectors import may_approve
    from estates.models import Role
    from tests.factories import UserFactory

    office_manager = UserFactory(role=Role.OFFICE_MANAGER, company=company, offices=[engineering_a.office])
    summary = _january_summary(make_complaint, engineering_a)
    assert not may_approve(manager_a, summary)  # a department manager of no department
    assert may_approve(office_manager, summary)
    assert report_services.monthly_summary_approve(summary=summary, by=office_manager).state == "approved"


def test_c14_demo_second_office_has_a_department_manager(db):
    from estates import demo
    from estates.models import Role

    assert any(u.role == Role.DEPT_MANAGER and u.office_code == "cuihu" for u in demo.USERS)


# The complaint page (items 8, 9; the page shows only the steps this user can take now) ----------


def test_issue9_stale_tab_refused_action_keeps_what_was_typed(frozen, make_complaint, cs_a, manager_a, client):
    c = services.complaint_respond(complaint=make_complaint(), by=cs_a, how="call", note="已致歉")
    c = services.complaint_classify(complaint=c, by=manager_a, complaint_class=1, category="repairs")
    stale = c.version
    services.complaint_add_note(complaint=c, by=manager_a, note="另一个标签页")
    client.force_login(manager_a)
    response = client.post(
        reverse("complaints:act_set_handling", args=[c.pk]),
        {"version": stale, "opinion": "请工程部今天上门维修电梯", "handler": cs_a.pk},
        follow=True,
    )
    assert response.redirect_chain and response.status_code == 200
    html = response.content.decode()
    assert "请工程部今天上门维修电梯" in html
    c.refresh_from_db()
    assert c.state == State.RESPONDED


def test_issue9_crafted_post_for_an_action_not_offered_now_says_why(frozen, make_complaint, cs_a, client):
    c = make_complaint()
    client.force_login(cs_a)
    # Telling the result before the first response: the page does not offer it.
    response = client.post(
        reverse("complaints:act_tell_result", args=[c.pk]), {"version": c.version, "result": "x"}, follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages and any(c.get_state_display() in m for m in messages)


def test_issue9_page_shows_only_what_this_user_can_do_with_named_buttons(frozen, make_complaint, frontdesk_a, client):
    from complaints.machine import TRANSITIONS

    c = make_complaint()
    client.force_login(frontdesk_a)
    html = client.get(c.get_absolute_url()).content.decode()
    # The front desk may respond and add a note; classify, handle, forward, invalid are not shown.
    assert reverse("complaints:act_respond", args=[c.pk]) in html
    for action in ("classify", "set_handling", "forward", "mark_invalid", "to_developer", "escalate_mr"):
        assert reverse(f"complaints:act_{action}", args=[c.pk]) not in html
    assert str(TRANSITIONS["respond"].button) in html
    # The note is a rarer action, behind "more".
    more = html.split("tj-more", 1)[1]
    assert reverse("complaints:act_note", args=[c.pk]) in more


def test_issue9_department_manager_sees_the_rare_actions_behind_more(frozen, make_complaint, manager_a, client):
    c = make_complaint()
    client.force_login(manager_a)
    html = client.get(c.get_absolute_url()).content.decode()
    head, more = html.split("tj-more", 1)
    for action in ("mark_invalid", "to_developer", "escalate_mr", "note"):
        assert reverse(f"complaints:act_{action}", args=[c.pk]) in more
        assert reverse(f"complaints:act_{action}", args=[c.pk]) not in head
    assert reverse("complaints:act_classify", args=[c.pk]) in head


# Lists (issue 9): stacked cards on a phone, filters behind one button, the office column only for
# users of more than one office.


def test_issue9_list_is_cards_with_folded_filters_and_no_office_column_for_one_office(
    frozen, make_complaint, client_a, qa, client
):
    c = make_complaint()
    html = client_a.get(reverse("complaints:list")).content.decode()
    assert "tj-table-stack" in html and "tj-filters-toggle" in html and 'data-label="' in html
    assert c.number in html
    assert 'data-label="管理处"' not in html  # the front desk of one office
    client.force_login(qa)
    assert 'data-label="管理处"' in client.get(reverse("complaints:list")).content.decode()


# The front desk corrects a resident's name and phone, with the change on the timeline ------------


def test_issue9_front_desk_corrects_the_residents_phone_and_name_on_the_timeline(
    frozen, make_complaint, resident_a, frontdesk_a, client
):
    c = make_complaint(resident=resident_a)
    client.force_login(frontdesk_a)
    url = reverse("complaints:act_correct_contact", args=[c.pk])
    assert url in client.get(c.get_absolute_url()).content.decode()
    response = client.post(url, {"version": c.version, "name": "李秀英", "phone": "13988887777"})
    assert response.status_code == 302
    resident_a.refresh_from_db()
    assert (resident_a.name, resident_a.phone) == ("李秀英", "13988887777")
    note = c.events.order_by("-at", "-pk").first().note
    assert "李女士" in note and "13912345678" in note and "李秀英" in note and "13988887777" in note


def test_issue9_correcting_a_callers_contact_without_a_resident(frozen, make_complaint, frontdesk_a):
    c = make_complaint(contact_name="王先生", contact_phone="13800001111")
    c = services.complaint_correct_contact(complaint=c, by=frontdesk_a, name="汪先生", phone="13800001112")
    assert (c.contact_name, c.contact_phone) == ("汪先生", "13800001112")
    c.refresh_from_db()
    assert "汪先生" in c.search_text
    with pytest.raises(ValidationError):
        services.complaint_correct_contact(complaint=c, by=frontdesk_a, name="汪先生", phone="13800001112")


def test_issue9_outsider_cannot_correct_a_contact(frozen, make_complaint, frontdesk_b, client):
    c = make_complaint()
    client.force_login(frontdesk_b)
    response = client.post(reverse("complaints:act_correct_contact", args=[c.pk]), {"version": c.version, "name": "x"})
    assert response.status_code == 404
