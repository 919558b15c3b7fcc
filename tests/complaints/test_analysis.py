"""C15 quarterly analysis on a small known data set: trend, Pareto, response-time distribution,
repeat complaints by unit; its deadline (company setting), publication, and "publish now"."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clock.models import DeadlineState, Notification
from clock.services import deadlines_for
from clock.sweeper import sweep
from complaints import rules, services, tasks
from complaints.models import AnalysisState, ComplaintPublication, ComplaintSettings, QuarterlyAnalysis
from complaints.reports import quarterly as report_quarterly
from complaints.reports import selectors as report_selectors
from estates.models import Role
from tests.complaints.conftest import SH
from tests.factories import CompanyFactory, OfficeFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

Q1 = datetime.date(2026, 1, 1)
APRIL_1 = datetime.datetime(2026, 4, 1, 8, 0, tzinfo=SH)


def _at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def quarter_data(make_complaint, unit_a, office_a, cs_a, qa):
    """Five complaints of Q1 2026: three from unit_a (a repeat), response after 1 h, 5 h, 30 h, 72 h
    and never; categories repairs x3, noise, parking; classes 1, 1, 2, 3 and unclassified."""
    other_unit = UnitFactory(building__community__office=office_a)
    plan = [
        # received, unit, hours to respond, class, category
        (datetime.datetime(2026, 1, 13, 10, 0, tzinfo=SH), unit_a, 1, 1, "repairs"),
        (datetime.datetime(2026, 1, 14, 9, 0, tzinfo=SH), unit_a, 5, 1, "repairs"),
        (datetime.datetime(2026, 2, 3, 9, 0, tzinfo=SH), other_unit, 30, 2, "repairs"),
        (datetime.datetime(2026, 3, 10, 9, 0, tzinfo=SH), unit_a, 72, 3, "noise"),
        (datetime.datetime(2026, 3, 31, 23, 0, tzinfo=SH), None, None, None, "parking"),
    ]
    made = []
    for received, unit, hours, cls, category in plan:
        with _at(received):
            c = make_complaint(received_at=received, unit=unit)
        if hours is not None:
            with _at(received + datetime.timedelta(hours=hours)):
                c = services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
        if cls is not None:
            with _at(received + datetime.timedelta(hours=(hours or 0) + 0.5)):
                c = services.complaint_classify(complaint=c, by=qa, complaint_class=cls, category=category)
        elif category:
            with _at(received + datetime.timedelta(minutes=5)):
                # Classified by category only later: class left empty on purpose.
                type(c).objects.filter(pk=c.pk).update(category=category)
        made.append(c)
    # Outside the quarter: not counted.
    with _at(datetime.datetime(2026, 4, 1, 0, 30, tzinfo=SH)):
        make_complaint(unit=unit_a)
    return made


def test_c15_pareto_distribution_repeats_and_trend_on_a_known_data_set(quarter_data, company, unit_a):
    with _at(APRIL_1):
        data = report_selectors.quarterly_figures(company, Q1)
    assert data["total"] == 5
    assert data["effective"] == 2
    assert data["pareto"] == [
        {"category": "repairs", "count": 3, "percent": 60.0, "cumulative": 60.0},
        {"category": "noise", "count": 1, "percent": 20.0, "cumulative": 80.0},
        {"category": "parking", "count": 1, "percent": 20.0, "cumulative": 100.0},
    ]
    assert [(b["key"], b["count"]) for b in data["response_times"]] == [
        ("le2", 1),
        ("le8", 1),
        ("le24", 0),
        ("le48", 1),
        ("over", 1),
        ("none", 1),
    ]
    (repeat,) = data["repeats"]
    assert repeat["count"] == 3
    assert repeat["unit_id"] == unit_a.pk and repeat["office_id"] == unit_a.building.community.office_id
    assert [(t["month"], t["total"], t["classes"], t["unclassified"]) for t in data["trend"]] == [
        ("2026-01-01", 2, [2, 0, 0], 0),
        ("2026-02-01", 1, [0, 1, 0], 0),
        ("2026-03-01", 2, [0, 0, 1], 1),
    ]
    assert data["by_office"][0]["total"] == 5


def test_c15_generated_once_after_the_quarter_with_the_default_due_time(quarter_data, company, qa_manager, mr):
    with _at(APRIL_1):
        assert report_quarterly.quarterly_analyses_generate() == 1
        assert report_quarterly.quarterly_analyses_generate() == 0
        assert tasks.generate_quarterly_analyses() == 0
    analysis = QuarterlyAnalysis.objects.get()
    assert analysis.quarter == Q1
    (deadline,) = deadlines_for(analysis)
    assert deadline.rule == "C15"
    assert deadline.opened_at == datetime.datetime(2026, 4, 1, tzinfo=SH)
    # Default: the end of the first month after the quarter.
    assert deadline.due_at == datetime.datetime(2026, 5, 1, tzinfo=SH)
    assert deadline.responsible_role == Role.QA_MANAGER
    assert deadline.office is None and deadline.company == company

    with _at(datetime.datetime(2026, 5, 1, tzinfo=SH)):
        sweep()
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    assert Notification.objects.filter(recipient=qa_manager, deadline=deadline, event__kind="breach").exists()
    assert Notification.objects.filter(recipient=mr, deadline=deadline, event__kind="breach").exists()


def test_c15_due_time_follows_the_company_setting(company):
    OfficeFactory(company=company)
    ComplaintSettings.objects.create(company=company, analysis_due_days=15)
    with _at(APRIL_1):
        analysis, created = report_quarterly.quarterly_analysis_generate(company=company, quarter=Q1)
    assert created
    assert deadlines_for(analysis).get().due_at == datetime.datetime(2026, 4, 16, tzinfo=SH)
    assert rules.analysis_due(datetime.date(2026, 10, 1)) == datetime.datetime(2027, 2, 1, tzinfo=SH)


def test_c15_publish_needs_qa_and_conclusions_and_meets_the_deadline(quarter_data, company, qa, manager_a, frontdesk_a):
    with _at(APRIL_1):
        analysis, _created = report_quarterly.quarterly_analysis_generate(company=company, quarter=Q1)
    with _at(APRIL_1 + datetime.timedelta(days=3)):
        with pytest.raises(ValidationError):
            report_quarterly.quarterly_analysis_publish(analysis=analysis, by=frontdesk_a, conclusions="结论")
        with pytest.raises(ValidationError):
            report_quarterly.quarterly_analysis_publish(analysis=analysis, by=qa, conclusions="  ")
        analysis = report_quarterly.quarterly_analysis_publish(
            analysis=analysis, by=qa, conclusions="报修类投诉占六成，需加强维修及时性。"
        )
    assert analysis.state == AnalysisState.PUBLISHED
    assert analysis.published_by == qa
    assert deadlines_for(analysis).get().state == DeadlineState.MET
    assert Notification.objects.filter(recipient=manager_a, key=f"c15:{analysis.pk}:published").exists()
    # Published: every staff member of the company reads it; a draft only the company roles.
    assert list(report_selectors.analyses_for(frontdesk_a)) == [analysis]
    with pytest.raises(ValidationError):
        report_quarterly.quarterly_analysis_publish(analysis=analysis, by=qa, conclusions="again")


def test_c15_a_draft_is_for_the_company_roles_only(company, qa, frontdesk_a):
    OfficeFactory(company=company)
    with _at(APRIL_1):
        analysis, _created = report_quarterly.quarterly_analysis_generate(company=company, quarter=Q1)
    assert list(report_selectors.analyses_for(qa)) == [analysis]
    assert list(report_selectors.analyses_for(frontdesk_a)) == []
    other_qa = UserFactory(role=Role.QA_STAFF, company=CompanyFactory(name="别家物业"))
    assert list(report_selectors.analyses_for(other_qa)) == []


def test_c15_publish_now_an_important_complaint(frozen, make_complaint, qa, frontdesk_a, frontdesk_b, manager_a):
    complaint = make_complaint()
    with pytest.raises(ValidationError):
        report_quarterly.complaint_publish(
            complaint=complaint, by=frontdesk_a, reason="important", title="标题", text="内容"
        )
    publication = report_quarterly.complaint_publish(
        complaint=complaint, by=qa, reason="important", title="楼道灯长期不亮", text="维修响应慢，已整改。"
    )
    assert publication.company == complaint.office.company
    assert complaint.events.filter(note__contains="楼道灯长期不亮").exists()
    assert Notification.objects.filter(recipient=manager_a, key=f"c15:publication:{publication.pk}").exists()
    with pytest.raises(ValidationError):
        report_quarterly.complaint_publish(complaint=complaint, by=qa, reason="important", title="再次", text="再次")
    assert ComplaintPublication.objects.count() == 1
    # Staff of every office of the company see the publication (QA's text, not the complaint).
    assert list(report_selectors.publications_for(frontdesk_b)) == [publication]
    stranger = UserFactory(role=Role.FRONT_DESK, company=CompanyFactory(name="别家物业"))
    assert list(report_selectors.publications_for(stranger)) == []
