"""Hardening issue, item 1: every date and time a user enters has a sensible range, in the form and in the
service; the database refuses a moment before 2000; a bad filter date never answers 500."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, EngineeringRecord
from tests.complaints.conftest import TUESDAY_10
from tests.complaints.test_views import _intake_data

pytestmark = pytest.mark.django_db

BAD_INPUTS = ["0001-01-01T00:00", "1900-01-01T09:00", "2003-05-01T09:00", "2027-06-01T09:00", "9999-12-31T23:59"]


@pytest.mark.parametrize("received_at", BAD_INPUTS)
def test_intake_refuses_a_time_received_out_of_range(frozen, client_a, office_a, received_at):
    response = client_a.post(reverse("complaints:create"), _intake_data(office_a, received_at=received_at))
    assert response.status_code == 200  # the form again, with the message next to the field
    assert not Complaint.objects.exists()
    assert response.context["form"].errors["received_at"]


def test_intake_input_carries_its_range(frozen, client_a):
    html = client_a.get(reverse("complaints:create")).content.decode()
    assert 'min="2016-03-' in html and 'max="2026-03-10T10:02"' in html


@pytest.mark.parametrize("year", [1, 1900, 2003])
def test_service_refuses_a_time_received_out_of_range(frozen, make_complaint, year):
    with pytest.raises(ValidationError) as info:
        make_complaint(received_at=TUESDAY_10.replace(year=year))
    assert "received_at" in info.value.message_dict
    assert not Complaint.objects.exists()


def test_service_refuses_a_handling_deadline_out_of_range(frozen, make_complaint, qa, cs_a):
    complaint = make_complaint()
    complaint = services.complaint_classify(complaint=complaint, by=cs_a, complaint_class=1, category="repairs")
    with pytest.raises(ValidationError) as info:
        services.complaint_set_handling(
            complaint=complaint, by=qa, opinion="尽快处理", handler=cs_a, due_at=TUESDAY_10.replace(year=2099)
        )
    assert "due_at" in info.value.message_dict


def test_service_refuses_an_f2_report_date_out_of_range(frozen, make_complaint, cs_a):
    complaint = make_complaint()
    complaint = services.complaint_classify(complaint=complaint, by=cs_a, complaint_class=2, category="building")
    with pytest.raises(ValidationError) as info:
        services.record_f2_save(
            complaint=complaint,
            by=cs_a,
            problem="外墙渗水",
            wide_impact=True,
            written_report_sent_at=datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
            copied_to_qa=True,
        )
    assert "written_report_sent_at" in info.value.message_dict
    assert not EngineeringRecord.objects.exists()


def test_database_refuses_a_time_received_before_2000(frozen, make_complaint):
    complaint = make_complaint()
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(received_at=datetime.datetime(1, 1, 2, tzinfo=datetime.UTC))
    complaint.refresh_from_db()
    assert complaint.received_at.year == 2026


@pytest.mark.parametrize("name", ["complaints:list", "complaints:work_log"])
@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1900-01-01"])
def test_a_filter_date_out_of_range_never_answers_500(frozen, client_a, make_complaint, name, date):
    make_complaint()
    response = client_a.get(reverse(name), {"date_from": date, "date_to": date})
    assert response.status_code == 200


def test_calendar_day_out_of_range_is_refused(client, company_admin):
    from clock.forms import CompanyDayForm
    from clock.models import DayKind

    form = CompanyDayForm({"date": "0001-01-01", "kind": DayKind.OFF, "note": "x"})
    assert not form.is_valid()
    assert list(form.errors) == ["date"]


def test_calendar_service_refuses_a_day_out_of_range(db):
    from clock.models import CalendarDay, DayKind
    from clock.services import calendar_day_set

    with pytest.raises(ValidationError):
        calendar_day_set(date=datetime.date(1, 1, 1), kind=DayKind.OFF, by=None)
    assert not CalendarDay.objects.filter(date=datetime.date(1, 1, 1)).exists()
