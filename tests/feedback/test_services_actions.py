"""Corrective and preventive actions (F2): create, record done, verify, send back, with the deadline."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from clock.models import Deadline, DeadlineState
from feedback.models import CorrectiveAction
from feedback.rules import ActionState, Verifier
from feedback.services import action_create, action_record_done, action_send_back, action_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(frozen, office_a, officemanager_a, cs_a):
    return action_create(
        office=office_a, by=officemanager_a, title="报修响应慢", due_on=datetime.date(2026, 3, 20), owner=cs_a
    )


def live(action):
    return list(Deadline.objects.filter(rule="F2-CA", subject_id=str(action.pk), closed_at__isnull=True))


def test_f2_action_has_an_owner_and_a_clock_deadline_at_the_end_of_its_due_day(action, cs_a):
    (deadline,) = live(action)
    assert deadline.responsible_user == cs_a
    assert deadline.due_at == datetime.datetime(
        2026, 3, 21, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
    )


def test_f2_action_needs_owner_or_department(frozen, office_a, officemanager_a):
    with pytest.raises(ValidationError):
        action_create(office=office_a, by=officemanager_a, title="x", due_on=datetime.date(2026, 3, 20))


def test_f2_action_done_then_verified_with_effectiveness(action, cs_a, officemanager_a):
    action = action_record_done(action=action, by=cs_a, done_note="增加夜班维修人员")
    assert action.state == ActionState.DONE
    assert live(action) == []
    with pytest.raises(ValidationError):
        action_verify(action=action, by=officemanager_a, effectiveness="")
    action = action_verify(action=action, by=officemanager_a, effectiveness="本月报修平均响应时间缩短到2小时")
    assert action.state == ActionState.VERIFIED
    assert action.verified_by == officemanager_a
    assert action.effective is True
    assert Deadline.objects.get(rule="F2-CA", subject_id=str(action.pk)).state == DeadlineState.MET


def test_f2_action_sent_back_reopens_with_its_deadline(action, cs_a, officemanager_a):
    action_record_done(action=action, by=cs_a, done_note="已处理")
    action = action_send_back(action=action, by=officemanager_a, reason="未见效果", due_on=datetime.date(2026, 3, 31))
    assert action.state == ActionState.OPEN
    assert action.sent_back_count == 1
    (deadline,) = live(action)
    assert deadline.due_at.date() == datetime.date(2026, 3, 31)


def test_q1_qa_only_action_cannot_be_verified_by_the_office(frozen, office_a, officemanager_a, cs_a, qa):
    action = action_create(
        office=office_a,
        by=qa,
        title="月检发现：回访记录不全",
        due_on=datetime.date(2026, 3, 20),
        owner=cs_a,
        verifier=Verifier.QA,
        source="inspection",
    )
    action_record_done(action=action, by=cs_a, done_note="补齐回访记录")
    with pytest.raises(ValidationError):
        action_verify(action=action, by=officemanager_a, effectiveness="ok")
    action = action_verify(action=CorrectiveAction.objects.get(pk=action.pk), by=qa, effectiveness="抽查合格")
    assert action.state == ActionState.VERIFIED


def test_f2_outsider_cannot_record_done(action, frontdesk_b):
    with pytest.raises(ValidationError):
        action_record_done(action=action, by=frontdesk_b, done_note="x")
