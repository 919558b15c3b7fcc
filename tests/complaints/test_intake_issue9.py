"""Issue 9 intake: the back-dated receipt (item 1), resubmits and possible duplicates (item 2), QA's
office against the resident's office (item 7)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clock.models import Deadline
from complaints.models import Complaint, ComplaintSettings
from tests.complaints.conftest import SH, TUESDAY_10

pytestmark = pytest.mark.django_db


def _post(office, **extra):
    data = {
        "form_token": str(uuid.uuid4()),
        "office": office.pk,
        "channel": "phone",
        "kind": "complaint",
        "contact_name": "王先生",
        "contact_phone": "13800001111",
        "content": "电梯异响",
        "received_at": "2026-03-10T09:30",
    }
    data.update(extra)
    return data


# Item 1 ------------------------------------------------------------------------------------


def test_issue9_receipt_up_to_3_days_back_is_accepted(frozen, make_complaint):
    complaint = make_complaint(received_at=TUESDAY_10 - datetime.timedelta(days=3) + datetime.timedelta(minutes=1))
    assert complaint.late_entry_reason == ""
    assert complaint.clock_start == complaint.received_at


def test_issue9_distant_past_receipt_needs_a_reason(frozen, make_complaint):
    with pytest.raises(ValidationError) as exc:
        make_complaint(received_at=datetime.datetime(2020, 1, 15, 10, 0, tzinfo=SH))
    assert "late_entry_reason" in exc.value.message_dict
    assert not Complaint.objects.exists()


def test_issue9_late_entry_runs_its_deadlines_from_entry_and_numbers_in_the_entry_year(frozen, make_complaint):
    complaint = make_complaint(
        received_at=datetime.datetime(2020, 1, 15, 10, 0, tzinfo=SH), late_entry_reason="纸质登记本补录"
    )
    assert complaint.number.startswith("TS-2026-")
    (c3,) = Deadline.objects.filter(subject_id=str(complaint.pk), rule="C3")
    assert c3.due_at > TUESDAY_10  # from the entry, not from 2020: not "overdue 6 years"
    assert complaint.received_at.year == 2020


def test_issue9_back_dating_window_is_a_company_setting(frozen, make_complaint, company):
    ComplaintSettings.objects.create(company=company, backdate_days=1)
    with pytest.raises(ValidationError):
        make_complaint(received_at=TUESDAY_10 - datetime.timedelta(days=2))


def test_issue9_intake_page_asks_for_the_reason_and_keeps_what_was_typed(frozen, client_a, office_a):
    response = client_a.post(reverse("complaints:create"), _post(office_a, received_at="2026-03-01T10:00"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "电梯异响" in html and "王先生" in html
    assert not Complaint.objects.exists()
    response = client_a.post(
        reverse("complaints:create"), _post(office_a, received_at="2026-03-01T10:00", late_entry_reason="补录")
    )
    assert response.status_code == 302
    assert Complaint.objects.get().late_entry_reason == "补录"


# Item 2 ------------------------------------------------------------------------------------


def test_issue9_same_resident_same_text_within_10_minutes_is_a_possible_duplicate(frozen, client_a, office_a):
    first = client_a.post(reverse("complaints:create"), _post(office_a))
    assert first.status_code == 302
    number = Complaint.objects.get().number
    # Back, then 登记 again: the page came back with a new form token.
    again = client_a.post(reverse("complaints:create"), _post(office_a))
    assert again.status_code == 200
    assert Complaint.objects.count() == 1
    html = again.content.decode()
    assert number in html and "confirm_duplicate" in html
    # The receiver says it is a new one: logged.
    third = client_a.post(reverse("complaints:create"), _post(office_a, confirm_duplicate="on"))
    assert third.status_code == 302
    assert Complaint.objects.count() == 2


def test_issue9_duplicate_window_is_10_minutes(frozen, client_a, office_a):
    client_a.post(reverse("complaints:create"), _post(office_a))
    frozen.shift(datetime.timedelta(minutes=11))
    assert client_a.post(reverse("complaints:create"), _post(office_a)).status_code == 302
    assert Complaint.objects.count() == 2


def test_issue9_refresh_with_the_same_token_makes_one(frozen, client_a, office_a):
    data = _post(office_a)
    client_a.post(reverse("complaints:create"), data)
    assert client_a.post(reverse("complaints:create"), data).status_code == 302
    assert Complaint.objects.count() == 1


# Item 7 ------------------------------------------------------------------------------------


def test_issue9_qa_office_and_resident_of_another_office_is_refused_with_a_message(
    frozen, client, qa, office_a, office_b, unit_b
):
    from tests.factories import ResidentFactory

    resident_b = ResidentFactory(unit=unit_b, name="赵女士")
    client.force_login(qa)
    response = client.post(reverse("complaints:create"), _post(office_a, resident=resident_b.pk))
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    html = response.content.decode()
    assert office_b.name in html and "赵女士" in html
    ok = client.post(reverse("complaints:create"), _post(office_b, resident=resident_b.pk))
    assert ok.status_code == 302
    assert Complaint.objects.get().office == office_b
