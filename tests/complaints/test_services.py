"""The complaint services: intake, routing, the state machine, deadlines through the clock."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clock import services as services_clock
from clock.models import Deadline, DeadlineState, Notification
from clock.selectors import subject_deadlines
from clock.sweeper import sweep
from complaints import rules, services
from complaints.models import Complaint, ComplaintEvent, EventKind
from complaints.rules import State
from tests.complaints.conftest import SH, TUESDAY_10

pytestmark = pytest.mark.django_db


def deadlines(complaint, rule):
    return list(subject_deadlines(complaint).filter(rule=rule))


# ---------------------------------------------------------------------------------------------
# Intake (C2, C3, C9, C10, C13)


def test_c2_intake_numbers_logs_and_opens_the_c3_deadline(frozen, make_complaint, resident_a):
    c = make_complaint(resident=resident_a)
    assert c.number == "TS-2026-000001"
    assert c.unit == resident_a.unit
    assert c.state == State.RECEIVED
    assert [e.kind for e in c.events.all()] == [EventKind.CREATED]
    (d,) = deadlines(c, "C3")
    assert d.due_at == rules.response_due(TUESDAY_10)
    assert d.responsible_role == "cs_assistant"
    assert set(d.escalate_roles) == {"qa_staff", "qa_manager"}
    assert make_complaint().number == "TS-2026-000002"


def test_c3_deadline_counts_from_receipt_not_from_logging(frozen, make_complaint):
    sunday = datetime.datetime(2026, 3, 8, 20, 0, tzinfo=SH)
    c = make_complaint(received_at=sunday)
    (d,) = deadlines(c, "C3")
    assert d.due_at == sunday + datetime.timedelta(hours=24)


def test_c2_received_at_in_the_future_is_refused(frozen, make_complaint):
    with pytest.raises(ValidationError):
        make_complaint(received_at=TUESDAY_10 + datetime.timedelta(hours=1))
    assert not Complaint.objects.exists()


def test_double_submit_with_the_same_form_token_makes_one_complaint(frozen, make_complaint):
    token = uuid.uuid4()
    first = make_complaint(form_token=token)
    second = make_complaint(form_token=str(token))
    assert first.pk == second.pk
    assert Complaint.objects.count() == 1
    assert Deadline.objects.count() == 1


def test_c13_intake_outside_own_office_is_refused(frozen, make_complaint, office_b):
    with pytest.raises(ValidationError):
        make_complaint(office=office_b)


@pytest.mark.parametrize("channel", ["company", "group", "government"])
def test_c9_complaint_to_company_goes_to_qa_and_agm_copied_to_mr_qa_manager_handles(
    frozen, make_complaint, channel, qa, qa_manager, agm, mr
):
    c = make_complaint(channel=channel)
    assert c.handler == qa_manager  # C19
    got = set(Notification.objects.values_list("recipient__username", "key"))
    assert ("qa", f"complaint:{c.pk}:c9") in got
    assert ("qa_manager", f"complaint:{c.pk}:c9") in got
    assert ("agm", f"complaint:{c.pk}:c9") in got
    assert ("mr", f"complaint:{c.pk}:c9-copy") in got
    assert c.events.filter(kind=EventKind.ROUTED).exists()


def test_c9_does_not_apply_to_a_phone_call(frozen, make_complaint, qa, qa_manager):
    c = make_complaint(channel="phone")
    assert c.handler is None
    assert not Notification.objects.exists()


def test_c10_customer_service_centre_complaint_waits_for_qa_opinion(frozen, make_complaint, qa, manager_a):
    c = make_complaint(channel="cs_centre")
    assert c.needs_qa_opinion
    assert Notification.objects.filter(recipient=qa, key=f"complaint:{c.pk}:c10").exists()
    c = services.complaint_respond(complaint=c, by=qa, how="call", note="已致歉")
    c = services.complaint_classify(complaint=c, by=qa, complaint_class=1, category="repairs")
    c = services.complaint_set_handling(complaint=c, by=qa, opinion="先查明原因", handler=manager_a)
    assert not c.needs_qa_opinion
    assert c.state == State.IN_HANDLING


# ---------------------------------------------------------------------------------------------
# Classification (C1, C8)


def test_c1_classify_sets_class_and_effective(frozen, make_complaint, cs_a):
    c = make_complaint()
    c = services.complaint_classify(complaint=c, by=cs_a, complaint_class=1, category="repairs")
    assert c.is_effective
    c = services.complaint_classify(complaint=c, by=cs_a, complaint_class=2, category="building")
    assert not c.is_effective


def test_c1_front_desk_may_not_classify(frozen, make_complaint, frontdesk_a):
    c = make_complaint()
    with pytest.raises(ValidationError):
        services.complaint_classify(complaint=c, by=frontdesk_a, complaint_class=1, category="repairs")


def test_c8_difficult_class_1_opens_half_day_deadline_for_qa_and_agm(frozen, make_complaint, cs_a, qa, qa_manager, agm):
    c = make_complaint()
    c = services.complaint_classify(complaint=c, by=cs_a, complaint_class=1, category="attitude", difficult=True)
    (d,) = deadlines(c, "C8")
    assert d.due_at == datetime.datetime(2026, 3, 10, 15, 0, tzinfo=SH)  # 2 h before lunch, 2 h after
    assert d.responsible_role == "qa_manager"
    assert "assistant_gm" in d.escalate_roles
    assert Notification.objects.filter(recipient=agm, deadline=d).exists()
    # QA's handling opinion and deadline meet C8 and open the handling deadline the clock enforces.
    services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
    due = datetime.datetime(2026, 3, 12, 18, 0, tzinfo=SH)
    c = services.complaint_set_handling(complaint=c, by=qa_manager, opinion="经理亲自上门", handler=cs_a, due_at=due)
    d.refresh_from_db()
    assert d.state == DeadlineState.MET
    (h,) = deadlines(c, "C8-DL")
    assert h.due_at == due and h.responsible_user == cs_a
    services.complaint_tell_result(complaint=c, by=cs_a, result="已道歉并整改")
    h.refresh_from_db()
    assert h.state == DeadlineState.MET


def test_c8_not_for_difficult_class_2(frozen, make_complaint, cs_a):
    c = make_complaint()
    services.complaint_classify(complaint=c, by=cs_a, complaint_class=2, category="building", difficult=True)
    assert deadlines(c, "C8") == []


def test_c8_handling_deadline_breach_notifies_qa(frozen, make_complaint, cs_a, qa, qa_manager):
    c = make_complaint()
    services.complaint_classify(complaint=c, by=cs_a, complaint_class=1, category="repairs", difficult=True)
    c.refresh_from_db()
    services.complaint_set_handling(
        complaint=c, by=qa_manager, opinion="限期", handler=cs_a, due_at=TUESDAY_10 + datetime.timedelta(hours=3)
    )
    frozen.move_to(TUESDAY_10 + datetime.timedelta(hours=4))
    sweep()
    (h,) = deadlines(c, "C8-DL")
    assert h.state == DeadlineState.BREACHED
    assert Notification.objects.filter(recipient=qa, deadline=h).exists()


# ---------------------------------------------------------------------------------------------
# C3 through the sweeper


def test_c3_breach_notifies_qa(make_complaint, qa, cs_a):
    with time_machine.travel(TUESDAY_10, tick=False) as t:
        c = make_complaint()
        (d,) = deadlines(c, "C3")
        t.move_to(d.due_at - datetime.timedelta(minutes=1))
        sweep()
        d.refresh_from_db()
        assert d.state == DeadlineState.OPEN
        assert not Notification.objects.filter(recipient=qa, deadline=d).exists()
        t.move_to(d.due_at + datetime.timedelta(minutes=1))
        sweep()
        d.refresh_from_db()
        assert d.state == DeadlineState.BREACHED
        assert Notification.objects.filter(recipient=qa, deadline=d).exists()
        assert Notification.objects.filter(recipient=cs_a, deadline=d).exists()
        # Late response: the deadline closes but stays breached.
        services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
        d.refresh_from_db()
        assert d.state == DeadlineState.BREACHED and d.closed_at is not None


def test_c3_response_in_time_meets_the_deadline(frozen, make_complaint, cs_a):
    c = make_complaint()
    c = services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
    (d,) = deadlines(c, "C3")
    assert d.state == DeadlineState.MET
    assert c.state == State.RESPONDED and c.responded_at == TUESDAY_10


# ---------------------------------------------------------------------------------------------
# C11


def test_c11_forwarded_department_reports_measures_within_one_working_day(
    frozen, make_complaint, qa, manager_a, engineering_a
):
    c = make_complaint()
    c = services.complaint_forward(complaint=c, by=qa, department=engineering_a)
    (d,) = deadlines(c, "C11")
    assert d.due_at == datetime.datetime(2026, 3, 11, 10, 0, tzinfo=SH)
    # C11 belongs to the department it was forwarded to (its manager; manager_a, the office's
    # department manager, answers while 工程部 has no manager of its own).
    assert d.responsible_department == engineering_a and d.responsible_role == ""
    assert services_clock.deadline_responsible_users(d) == [manager_a]
    c = services.complaint_report_measures(complaint=c, by=manager_a, measures="更换灯管")
    d.refresh_from_db()
    assert d.state == DeadlineState.MET
    assert Notification.objects.filter(recipient=qa, title__contains=c.number).exists()


def test_c11_measures_without_forwarding_is_refused(frozen, make_complaint, manager_a):
    c = make_complaint()
    with pytest.raises(ValidationError):
        services.complaint_report_measures(complaint=c, by=manager_a, measures="x")


# ---------------------------------------------------------------------------------------------
# The state machine and C12


def _to_result_told(c, cs_a, manager_a):
    c = services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
    if c.complaint_class is None:
        c = services.complaint_classify(complaint=c, by=manager_a, complaint_class=1, category="repairs")
    c = services.complaint_set_handling(complaint=c, by=manager_a, opinion="安排维修", handler=cs_a)
    return services.complaint_tell_result(complaint=c, by=cs_a, result="已修好")


def test_full_flow_satisfied_return_visit_closes(frozen, make_complaint, cs_a, manager_a, qa):
    c = _to_result_told(make_complaint(), cs_a, manager_a)
    c = services.complaint_decide_return_visit(complaint=c, by=qa, required=True)
    assert c.state == State.AWAITING_RETURN_VISIT
    c = services.complaint_record_return_visit(complaint=c, by=qa, satisfied=True, note="满意")
    assert c.state == State.CLOSED and c.closed_at is not None
    kinds = list(c.events.values_list("to_state", flat=True).exclude(to_state=""))
    assert kinds == ["received", "responded", "in_handling", "result_told", "awaiting_rv", "closed"]


def test_c12_unsatisfied_return_visit_reopens(frozen, make_complaint, cs_a, manager_a, qa):
    c = _to_result_told(make_complaint(), cs_a, manager_a)
    c = services.complaint_decide_return_visit(complaint=c, by=qa, required=True)
    c = services.complaint_record_return_visit(complaint=c, by=cs_a, satisfied=False, note="还是不亮")
    assert c.state == State.IN_HANDLING
    assert c.reopen_count == 1
    assert c.events.filter(kind=EventKind.REOPENED).exists()


def test_c12_important_complaint_always_gets_a_return_visit(frozen, make_complaint, cs_a, manager_a, qa):
    c = make_complaint()
    c = services.complaint_classify(complaint=c, by=cs_a, complaint_class=1, category="repairs", important=True)
    c = _to_result_told(c, cs_a, manager_a)
    with pytest.raises(ValidationError, match="C12"):
        services.complaint_decide_return_visit(complaint=c, by=qa, required=False)
    c.refresh_from_db()
    assert c.state == State.RESULT_TOLD


def test_c12_not_important_may_close_without_visit(frozen, make_complaint, cs_a, manager_a, qa):
    c = _to_result_told(make_complaint(), cs_a, manager_a)
    c = services.complaint_decide_return_visit(complaint=c, by=qa, required=False)
    assert c.state == State.CLOSED


def test_c12_only_qa_decides_on_the_return_visit(frozen, make_complaint, cs_a, manager_a):
    c = _to_result_told(make_complaint(), cs_a, manager_a)
    with pytest.raises(ValidationError):
        services.complaint_decide_return_visit(complaint=c, by=manager_a, required=True)


def test_forbidden_transitions_are_refused_with_a_message(frozen, make_complaint, cs_a, qa):
    c = make_complaint()
    with pytest.raises(ValidationError, match="not possible|不能"):
        services.complaint_tell_result(complaint=c, by=cs_a, result="x")
    with pytest.raises(ValidationError):
        services.complaint_record_return_visit(complaint=c, by=qa, satisfied=True)
    c.refresh_from_db()
    assert c.state == State.RECEIVED
    assert c.events.count() == 1


def test_stale_state_loses_the_compare_and_set(frozen, make_complaint, cs_a):
    c = make_complaint()
    stale = Complaint.objects.get(pk=c.pk)
    services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
    # The stale copy still says "received": the service refuses it instead of responding twice.
    with pytest.raises(ValidationError):
        services.complaint_respond(complaint=stale, by=cs_a, how="call", note="已致歉")
    assert ComplaintEvent.objects.filter(complaint=c, kind=EventKind.RESPONDED).count() == 1


def test_timeline_is_append_only(frozen, make_complaint):
    c = make_complaint()
    event = c.events.get()
    event.note = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
