"""Q1: a finding becomes a corrective action (feedback's, QA verifies); the office records what it did;
only QA verifies after an effectiveness check, or sends it back; the due date is a clock deadline."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clock.models import DeadlineState
from clock.services import deadlines_for
from feedback.rules import ActionSource, ActionState, Verifier
from inspections.services import corrective

from .conftest import SH


@pytest.fixture
def finding(check_a, qa, cs_a):
    return corrective.finding_with_action(
        check=check_a,
        by=qa,
        description="与顾客沟通登记表有3条缺少处理结果",
        evidence="抽查3月登记",
        owner=cs_a,
        due_on=datetime.date(2026, 3, 20),
    )


def test_q1_finding_becomes_a_qa_verified_corrective_action_with_a_deadline(finding, cs_a, office_a):
    action = finding.corrective_action
    assert action.office == office_a and action.owner == cs_a
    assert action.source == ActionSource.INSPECTION and action.verifier == Verifier.QA
    assert action.state == ActionState.OPEN
    deadline = deadlines_for(action).get(closed_at__isnull=True)
    assert deadline.responsible_user == cs_a
    assert deadline.due_at == datetime.datetime(2026, 3, 21, tzinfo=SH)


def test_q1_office_records_what_it_did_only_qa_verifies(finding, cs_a, manager_a, qa):
    corrective.action_done(finding=finding, by=cs_a, done_note="已补全3条登记的处理结果，并培训前台")
    finding.corrective_action.refresh_from_db()
    assert finding.corrective_action.state == ActionState.DONE
    with pytest.raises(ValidationError):
        corrective.action_verify(finding=finding, by=manager_a, effectiveness="已检查")
    with pytest.raises(ValidationError):
        corrective.action_verify(finding=finding, by=qa, effectiveness="")
    action = corrective.action_verify(finding=finding, by=qa, effectiveness="复查4月登记全部完整")
    assert action.state == ActionState.VERIFIED and action.verified_by == qa
    assert not deadlines_for(action).filter(closed_at__isnull=True).exists()


def test_q1_qa_sends_it_back_and_the_deadline_reopens(finding, cs_a, qa):
    corrective.action_done(finding=finding, by=cs_a, done_note="已整改")
    action = corrective.action_send_back(
        finding=finding, by=qa, reason="复查仍有缺项", due_on=datetime.date(2026, 3, 31)
    )
    assert action.state == ActionState.OPEN and action.sent_back_note == "复查仍有缺项"
    live = deadlines_for(action).get(closed_at__isnull=True)
    assert live.state == DeadlineState.OPEN and live.due_at == datetime.datetime(2026, 4, 1, tzinfo=SH)


def test_q1_owner_and_due_date_go_together(check_a, qa, cs_a):
    with pytest.raises(ValidationError):
        corrective.finding_with_action(check=check_a, by=qa, description="x", owner=cs_a)


def test_q1_failed_call_back_finding_gets_its_action_later(check_a, qa, cs_a):
    from inspections.services.checks import finding_add

    bare = finding_add(check=check_a, by=qa, description="回访发现投诉未真正处理")
    done = corrective.finding_set_action(finding=bare, by=qa, owner=cs_a, due_on=datetime.date(2026, 3, 25))
    assert done.corrective_action.verifier == Verifier.QA
    with pytest.raises(ValidationError):
        corrective.finding_set_action(finding=done, by=qa, owner=cs_a, due_on=datetime.date(2026, 3, 25))


def test_q1_pages_office_records_done_qa_verifies(client, finding, cs_a, qa):
    client.force_login(cs_a)
    listing = client.get(reverse("inspections:check_list")).content.decode()
    assert "与顾客沟通登记表有3条缺少处理结果" in listing and "2026-03-20" in listing
    page = client.get(reverse("inspections:check_detail", args=[finding.check_run_id])).content.decode()
    assert "2026-03-21 00:00" in page  # the clock deadline
    r = client.post(reverse("inspections:finding_action_done", args=[finding.pk]), {"done_note": "已补全登记"})
    assert r.status_code == 302
    r = client.post(reverse("inspections:finding_action_verify", args=[finding.pk]), {"effectiveness": "自己验证"})
    assert r.status_code == 403
    client.force_login(qa)
    r = client.post(reverse("inspections:finding_action_verify", args=[finding.pk]), {"effectiveness": "复查合格"})
    finding.corrective_action.refresh_from_db()
    assert finding.corrective_action.state == ActionState.VERIFIED


def test_q1_outsider_gets_404_on_the_finding(client, finding, frontdesk_b):
    client.force_login(frontdesk_b)
    r = client.post(reverse("inspections:finding_action_done", args=[finding.pk]), {"done_note": "x"})
    assert r.status_code == 404


def test_q1_scorecard_counts_findings_open_and_verified(finding, check_a, qa, cs_a, office_a):
    from inspections import reports

    corrective.finding_with_action(
        check=check_a, by=qa, description="回访记录不全", owner=cs_a, due_on=datetime.date(2026, 3, 25)
    )
    corrective.action_done(finding=finding, by=cs_a, done_note="已整改")
    corrective.action_verify(finding=finding, by=qa, effectiveness="复查合格")
    march = reports.scorecard(office_a.pk, datetime.date(2026, 3, 1), 2)[-1]
    assert (march["findings"], march["findings_open"], march["findings_closed"]) == (2, 1, 1)
    row = reports.comparison([office_a], datetime.date(2026, 3, 1))[0]
    assert row["findings_closed"] == 1
