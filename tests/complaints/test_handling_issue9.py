"""Issue 9: C3 first response needs content (item 3); C4 names a person from the office's or the
responsible department's staff, on a classified complaint (item 4)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clock.models import Deadline
from complaints import services
from complaints.rules import State
from estates.models import Role
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_c3_empty_first_response_is_refused(frozen, make_complaint, cs_a):
    c = make_complaint()
    with pytest.raises(ValidationError) as exc:
        services.complaint_respond(complaint=c, by=cs_a)
    assert {"how", "note"} <= set(exc.value.message_dict)
    c.refresh_from_db()
    assert c.state == State.RECEIVED and c.responded_at is None


def test_c3_first_response_records_how_and_what(frozen, make_complaint, cs_a):
    c = services.complaint_respond(complaint=make_complaint(), by=cs_a, how="visit", note="上门致歉，明天维修")
    assert c.response_how == "visit" and c.response_note == "上门致歉，明天维修"


def test_c3_empty_response_through_the_page_keeps_c3_open(frozen, make_complaint, cs_a, client):
    c = make_complaint()
    client.force_login(cs_a)
    response = client.post(reverse("complaints:act_respond", args=[c.pk]), {"version": c.version, "note": ""})
    assert response.status_code == 400
    c.refresh_from_db()
    assert c.responded_at is None
    assert Deadline.objects.get(subject_id=str(c.pk), rule="C3").state == "open"


def test_c4_handling_opinion_needs_a_classified_complaint(frozen, make_complaint, manager_a, cs_a):
    c = make_complaint()
    with pytest.raises(ValidationError):
        services.complaint_set_handling(complaint=c, by=manager_a, opinion="修", handler=cs_a)


def test_c4_handling_opinion_without_a_handler_is_refused(frozen, make_complaint, manager_a):
    c = services.complaint_classify(complaint=make_complaint(), by=manager_a, complaint_class=1, category="repairs")
    with pytest.raises(ValidationError) as exc:
        services.complaint_set_handling(complaint=c, by=manager_a, opinion="修")
    assert "handler" in exc.value.message_dict
    assert not Deadline.objects.filter(subject_id=str(c.pk), rule="C8-DL").exists()


def test_c4_handler_from_another_office_is_refused(frozen, make_complaint, manager_a, company):
    elsewhere = UserFactory(role=Role.CS_ASSISTANT, company=company, offices=[OfficeFactory(company=company)])
    company_role = UserFactory(role=Role.QA_STAFF, company=company)
    c = services.complaint_classify(complaint=make_complaint(), by=manager_a, complaint_class=1, category="repairs")
    for person in (elsewhere, company_role):
        with pytest.raises(ValidationError):
            services.complaint_set_handling(complaint=c, by=manager_a, opinion="修", handler=person)


def test_c4_handler_choices_are_the_office_and_department_staff(frozen, make_complaint, manager_a, cs_a, company):
    from complaints.forms import HandlingForm

    UserFactory(role=Role.QA_STAFF, company=company, username="qa_elsewhere")
    c = services.complaint_classify(complaint=make_complaint(), by=manager_a, complaint_class=1, category="repairs")
    names = {u.username for u in HandlingForm(complaint=c).fields["handler"].queryset}
    assert names == {"frontdesk_a", "cs_a", "manager_a"}


def test_c4_handling_not_offered_before_classification(frozen, make_complaint, manager_a, client):
    c = make_complaint()
    client.force_login(manager_a)
    assert reverse("complaints:act_set_handling", args=[c.pk]) not in client.get(c.get_absolute_url()).content.decode()
