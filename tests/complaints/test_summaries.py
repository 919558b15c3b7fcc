"""C14 monthly summaries: generation (idempotent, catching up, Shanghai month boundaries), the C14
deadline through the clock, approval by the department manager, the beat task."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clock.models import Deadline, DeadlineState, Notification
from clock.services import deadlines_for
from clock.sweeper import sweep
from complaints import rules, services, tasks
from complaints.models import MonthlySummary, SummaryState
from complaints.reports import selectors as report_selectors
from complaints.reports import services as report_services
from estates.models import DepartmentKind, Role
from tests.complaints.conftest import SH
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

# January 2026: a plain working Tuesday; the summary is generated on 1 February, due 5 February 00:00.
JAN_13 = datetime.datetime(2026, 1, 13, 10, 0, tzinfo=SH)
FEB_1 = datetime.datetime(2026, 2, 1, 8, 0, tzinfo=SH)
DUE = datetime.datetime(2026, 2, 5, 0, 0, tzinfo=SH)
JANUARY = datetime.date(2026, 1, 1)


@pytest.fixture
def service_a(office_a):
    """The office's receiving (customer service) department."""
    return DepartmentFactory(
        company=office_a.company, office=office_a, kind=DepartmentKind.CUSTOMER_SERVICE, name="客户服务部"
    )


@pytest.fixture
def eng_manager(office_a, engineering_a):
    return UserFactory(
        username="eng_manager",
        role=Role.DEPT_MANAGER,
        company=office_a.company,
        offices=[office_a],
        department=engineering_a,
    )


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _complaint(make_complaint, moment, **kwargs):
    with _at(moment):
        return make_complaint(received_at=moment, **kwargs)


def test_c14_generation_is_idempotent_one_per_department_per_month(
    make_complaint, engineering_a, service_a, office_b, qa
):
    _complaint(make_complaint, JAN_13, department=engineering_a)
    _complaint(make_complaint, JAN_13 + datetime.timedelta(days=1), department=engineering_a)
    _complaint(make_complaint, JAN_13)  # not yet given to a department: the receiving department's
    DepartmentFactory(company=office_b.company, office=office_b, name="保安部")  # nothing to report
    with _at(FEB_1):
        assert report_services.monthly_summaries_generate() == 2
        assert report_services.monthly_summaries_generate() == 0
        assert tasks.generate_monthly_summaries() == 0
    summaries = MonthlySummary.objects.order_by("department__name")
    assert {s.department for s in summaries} == {engineering_a, service_a}
    assert {s.month for s in summaries} == {JANUARY}
    eng = summaries.get(department=engineering_a)
    assert eng.data["totals"]["received"] == 2
    assert summaries.get(department=service_a).data["totals"]["received"] == 1
    assert Deadline.objects.filter(rule=rules.RULE_C14).count() == 2


def test_c14_a_missed_first_of_the_month_loses_nothing(make_complaint, engineering_a):
    _complaint(make_complaint, JAN_13, department=engineering_a)
    # The worker was down on the 1st and the 2nd; the first run on the 3rd makes the summary.
    with _at(datetime.datetime(2026, 2, 3, 14, 0, tzinfo=SH)):
        assert report_services.monthly_summaries_generate() == 1
    summary = MonthlySummary.objects.get()
    (deadline,) = deadlines_for(summary)
    assert deadline.opened_at == datetime.datetime(2026, 2, 1, tzinfo=SH)  # C14 starts when the month ends
    assert deadline.due_at == DUE


def test_c14_month_boundaries_are_shanghai_time(make_complaint, engineering_a):
    last_of_january = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=SH)  # 15:30 UTC
    first_of_february = datetime.datetime(2026, 2, 1, 0, 10, tzinfo=SH)  # still 31 January in UTC
    inside = _complaint(make_complaint, last_of_january, department=engineering_a)
    outside = _complaint(make_complaint, first_of_february, department=engineering_a)
    with _at(FEB_1):
        summary, created = report_services.monthly_summary_generate(department=engineering_a, month=JANUARY)
    assert created
    numbers = [row["number"] for row in summary.data["rows"]]
    assert inside.number in numbers
    assert outside.number not in numbers


def test_c14_a_month_is_summarised_only_after_it_ends(engineering_a):
    with _at(JAN_13), pytest.raises(ValidationError):
        report_services.monthly_summary_generate(department=engineering_a, month=JANUARY)


def test_c14_deadline_due_midnight_on_the_5th_warned_and_breached_by_the_sweeper(
    make_complaint, engineering_a, eng_manager, qa
):
    _complaint(make_complaint, JAN_13, department=engineering_a)
    with _at(FEB_1):
        summary, _created = report_services.monthly_summary_generate(department=engineering_a, month=JANUARY)
    (deadline,) = deadlines_for(summary)
    assert deadline.rule == "C14"
    assert deadline.due_at == DUE
    assert deadline.responsible_user == eng_manager
    assert set(deadline.escalate_roles) == {"qa_staff", "qa_manager"}
    assert Notification.objects.filter(recipient=eng_manager, key=f"c14:{summary.pk}:draft").exists()

    with _at(DUE - datetime.timedelta(minutes=1)):
        sweep()
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.OPEN
    assert deadline.warned_at is not None
    assert Notification.objects.filter(recipient=eng_manager, deadline=deadline, event__kind="warning").exists()

    with _at(DUE):
        sweep()
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    assert Notification.objects.filter(recipient=qa, deadline=deadline, event__kind="breach").exists()

    # Approved late: closed, but the lateness stays on record.
    with _at(DUE + datetime.timedelta(hours=3)):
        report_services.monthly_summary_approve(summary=summary, by=eng_manager)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    assert deadline.closed_at is not None


def test_c14_approval_meets_the_deadline_publishes_to_staff_and_copies_qa(
    make_complaint, engineering_a, eng_manager, qa, frontdesk_a, frontdesk_b
):
    _complaint(make_complaint, JAN_13, department=engineering_a)
    with _at(FEB_1):
        summary, _created = report_services.monthly_summary_generate(department=engineering_a, month=JANUARY)
    snapshot = summary.data
    with _at(FEB_1 + datetime.timedelta(days=1)):
        # A complaint logged late does not change what the manager saw and approves.
        _complaint(make_complaint, JAN_13 + datetime.timedelta(days=2), department=engineering_a)
        summary = report_services.monthly_summary_approve(summary=summary, by=eng_manager, note="已核对")
    assert summary.state == SummaryState.APPROVED
    assert summary.approved_by == eng_manager
    assert summary.note == "已核对"
    assert summary.data == snapshot
    (deadline,) = deadlines_for(summary)
    assert deadline.state == DeadlineState.MET
    assert Notification.objects.filter(recipient=qa, key=f"c14:{summary.pk}:qa-copy").exists()
    assert Notification.objects.filter(recipient=frontdesk_a, key=f"c14:{summary.pk}:published").exists()
    assert not Notification.objects.filter(recipient=frontdesk_b).exists()
    with pytest.raises(ValidationError):
        report_services.monthly_summary_approve(summary=summary, by=eng_manager)
    with pytest.raises(ValidationError):
        report_services.monthly_summary_refresh(summary=summary, by=eng_manager)


def test_c14_only_the_manager_of_that_department_may_approve(
    make_complaint, engineering_a, service_a, eng_manager, manager_a, frontdesk_a, qa
):
    _complaint(make_complaint, JAN_13, department=engineering_a)
    with _at(FEB_1):
        summary, _created = report_services.monthly_summary_generate(department=engineering_a, month=JANUARY)
    other_manager = UserFactory(
        role=Role.DEPT_MANAGER, company=engineering_a.company, offices=[engineering_a.office], department=service_a
    )
    for user in (manager_a, other_manager, frontdesk_a, qa):
        with pytest.raises(ValidationError):
            report_services.monthly_summary_approve(summary=summary, by=user)
    summary.refresh_from_db()
    assert summary.state == SummaryState.DRAFT
    report_services.monthly_summary_approve(summary=summary, by=eng_manager)


def test_c14_draft_refresh_picks_up_a_late_complaint(make_complaint, engineering_a, eng_manager, frontdesk_a):
    _complaint(make_complaint, JAN_13, department=engineering_a)
    with _at(FEB_1):
        summary, _created = report_services.monthly_summary_generate(department=engineering_a, month=JANUARY)
    _complaint(make_complaint, JAN_13 + datetime.timedelta(days=1), department=engineering_a)
    with pytest.raises(ValidationError):
        report_services.monthly_summary_refresh(summary=summary, by=frontdesk_a)
    summary = report_services.monthly_summary_refresh(summary=summary, by=eng_manager)
    assert summary.data["totals"]["received"] == 2


def test_c14_figures_by_class_channel_compliance_carried_over_and_c9(
    make_complaint, engineering_a, cs_a, qa, manager_a
):
    december = datetime.datetime(2025, 12, 16, 10, 0, tzinfo=SH)
    carried = _complaint(make_complaint, december, department=engineering_a)  # still open in January
    on_time = _complaint(make_complaint, JAN_13, department=engineering_a, contact_phone="0755-26001234")
    with _at(JAN_13 + datetime.timedelta(hours=1)):
        services.complaint_respond(complaint=on_time, by=cs_a, how="call", note="已致歉")
        services.complaint_classify(complaint=on_time, by=qa, complaint_class=1, category="repairs")
    late = _complaint(make_complaint, JAN_13 + datetime.timedelta(days=1), department=engineering_a, channel="visit")
    with _at(JAN_13 + datetime.timedelta(days=5)):
        sweep()  # flags late's C3
        services.complaint_respond(complaint=late, by=cs_a, how="call", note="已致歉")
        services.complaint_classify(complaint=late, by=qa, complaint_class=2, category="building")
    c9 = _complaint(make_complaint, JAN_13 + datetime.timedelta(days=6), department=engineering_a, channel="government")
    with _at(JAN_13 + datetime.timedelta(days=6, minutes=5)):
        services.complaint_mark_invalid(complaint=c9, by=qa, explanation="已解释")

    with _at(FEB_1):
        data = report_selectors.monthly_figures(engineering_a, JANUARY)
    totals = data["totals"]
    assert totals["received"] == 3
    assert totals["effective"] == 1
    assert totals["c9"] == 1
    assert totals["invalid"] == 1
    assert totals["carried_over"] == 1
    assert totals["open_at_end"] == 3  # carried, on_time and late; the invalid one is finished
    assert dict(map(tuple, data["by_class"])) == {1: 1, 2: 1, None: 1}
    assert dict(map(tuple, data["by_channel"])) == {"phone": 1, "visit": 1, "government": 1}
    assert data["compliance"] == {"met": 2, "late": 1, "pending": 0, "none": 0, "rate": 66.7}
    rows = {row["number"]: row for row in data["rows"]}
    assert carried.number not in rows  # issue 10: carried-over items are counted, not listed
    assert rows[on_time.number]["on_time"] == "yes"
    assert rows[late.number]["on_time"] == "no"
    assert rows[c9.number]["c9"] is True
    assert "phone" not in rows[on_time.number]  # issue 9: figures and ids only (STYLE.md 17)


def test_c14_task_runs_through_celery_eagerly(make_complaint, engineering_a, settings):
    _complaint(make_complaint, JAN_13, department=engineering_a)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        with _at(FEB_1):
            assert tasks.generate_monthly_summaries.delay().get() == 1
            assert tasks.generate_monthly_summaries.apply().get() == 0
    finally:
        app.conf.task_always_eager = False
    summary = MonthlySummary.objects.get()
    # Stored titles are in the product's language (zh-hans), whatever the worker's.
    assert deadlines_for(summary).get().title == "2026-01月度投诉汇总（科信管理处 工程部）"


def test_c14_c15_tasks_are_on_the_beat_schedule():
    from config.celery import app

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"complaints.tasks.generate_monthly_summaries", "complaints.tasks.generate_quarterly_analyses"} <= scheduled
    assert tasks.generate_monthly_summaries.name == "complaints.tasks.generate_monthly_summaries"
    assert tasks.generate_quarterly_analyses.name == "complaints.tasks.generate_quarterly_analyses"


def test_c14_summary_due_is_a_clock_time_not_working_time():
    # October: the 5th falls in the National Day holiday; still due 00:00 on the 5th.
    assert rules.summary_due(datetime.date(2026, 9, 1)) == datetime.datetime(2026, 10, 5, tzinfo=SH)
    assert rules.summary_due(datetime.date(2026, 12, 1)) == datetime.datetime(2027, 1, 5, tzinfo=SH)
    assert rules.last_finished_month(datetime.datetime(2026, 2, 28, 16, 30, tzinfo=datetime.UTC)) == JANUARY.replace(
        month=2
    )


def test_c14_carried_over_counts_every_case_of_unfinished_at_the_start(
    make_complaint, engineering_a, service_a, office_a
):
    """Issue 10: the carried-over count is read as "still open" plus "closed since the month began"
    (partial indexes), for the department's own complaints and, for the receiving department, the
    office's unassigned ones — the same figures as "unfinished at the start" read from every row."""
    from complaints.models import Complaint

    december = datetime.datetime(2025, 12, 10, 10, 0, tzinfo=SH)
    jan_20 = datetime.datetime(2026, 1, 20, 10, 0, tzinfo=SH)
    feb_3 = datetime.datetime(2026, 2, 3, 10, 0, tzinfo=SH)

    def made(closed_at=None, **kwargs):
        c = _complaint(make_complaint, december, **kwargs)
        if closed_at is not None:
            Complaint.objects.filter(pk=c.pk).update(closed_at=closed_at, state="closed")
        return c

    made(department=engineering_a)  # still open: carried, open at the end
    made(closed_at=jan_20, department=engineering_a)  # closed in January: carried, not open at the end
    made(closed_at=feb_3, department=engineering_a)  # closed after January: carried, open at the end
    made(closed_at=december + datetime.timedelta(days=3), department=engineering_a)  # finished before: not carried
    made(department=None)  # the office's, not given to any department: the receiving department's
    made(closed_at=jan_20, department=None)
    _complaint(make_complaint, jan_20, department=engineering_a)  # January's own: received, not carried

    with _at(FEB_1 + datetime.timedelta(days=5)):
        engineering = report_selectors.monthly_figures(engineering_a, JANUARY)["totals"]
        service = report_selectors.monthly_figures(service_a, JANUARY)["totals"]
        due = {d.pk for d in report_services.departments_due(JANUARY)}
    assert (engineering["carried_over"], engineering["open_at_end"]) == (3, 2 + 1)
    assert (service["carried_over"], service["open_at_end"]) == (2, 1)
    assert due == {engineering_a.pk, service_a.pk}
    # A month in which nothing was received nor left unfinished is nobody's.
    with _at(datetime.datetime(2026, 4, 1, 8, 0, tzinfo=SH)):
        Complaint.objects.update(closed_at=datetime.datetime(2026, 1, 25, tzinfo=SH), state="closed")
        assert report_services.departments_due(datetime.date(2026, 3, 1)) == []
