"""S5-S8 through the services: deadlines through the clock, hand-out channels, answers online and on
paper, one response per unit, proxy answers capped, double entry, closing collection."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clock.models import Deadline, DeadlineState
from clock.sweeper import sweep
from surveys import selectors, services
from surveys.models import Response, SampleUnit, SecondEntry

from .conftest import SH, answer_all, close_round


def _deadlines(r):
    return {d.rule: d for d in Deadline.objects.filter(subject_id=r.pk, rule__startswith="S")}


def test_s5_forms_received_opens_hand_out_deadline_3_days(fieldwork_round):
    d = _deadlines(fieldwork_round)["S5"]
    # received Tuesday 10 March 10:00 -> within 3 days: Friday 13 March 24:00
    assert d.due_at == datetime.datetime(2026, 3, 14, 0, 0, tzinfo=SH)
    assert d.state == DeadlineState.OPEN and d.responsible_role == "dept_manager"


def test_s5_s7_hand_out_done_meets_s5_and_opens_s7_10_days(fieldwork_round, supervisor_a, frozen):
    frozen.move_to(datetime.datetime(2026, 3, 11, 15, 0, tzinfo=SH))
    sample = list(SampleUnit.objects.filter(round=fieldwork_round, active=True).select_related("unit"))
    services.handout_record(survey_round=fieldwork_round, by=supervisor_a, sample_units=sample, channel="door")
    ds = _deadlines(fieldwork_round)
    assert ds["S5"].state == DeadlineState.MET
    assert ds["S7"].due_at == datetime.datetime(2026, 3, 22, 0, 0, tzinfo=SH)


def test_s5_breached_by_the_sweeper_when_forms_are_not_handed_out(fieldwork_round, frozen):
    frozen.move_to(datetime.datetime(2026, 3, 14, 0, 1, tzinfo=SH))
    sweep()
    assert _deadlines(fieldwork_round)["S5"].state == DeadlineState.BREACHED


def test_s6_owner_living_elsewhere_is_offered_phone_or_mail(fieldwork_round, supervisor_a):
    su = SampleUnit.objects.filter(round=fieldwork_round).select_related("unit").first()
    su.unit.owner_absent = True
    su.unit.save()
    with pytest.raises(ValidationError, match="不在此居住"):
        services.handout_record(survey_round=fieldwork_round, by=supervisor_a, sample_units=[su], channel="door")
    assert services.handout_record(survey_round=fieldwork_round, by=supervisor_a, sample_units=[su], channel="mail")
    su.refresh_from_db()
    assert (su.handout_channel, su.handed_out_by) == ("mail", supervisor_a)


def test_s7_online_answer_once_and_the_first_is_kept(fieldwork_round):
    su = SampleUnit.objects.filter(round=fieldwork_round).first()
    q = fieldwork_round.questionnaire.questions.first()
    services.response_submit_online(token=su.token, levels={q.pk: 1}, comments={q.pk: "很好"})
    with pytest.raises(ValidationError):
        services.response_submit_online(token=su.token, levels={q.pk: 4}, comments={})
    response = Response.objects.get(sample_unit=su)
    assert response.channel == "online" and not response.proxy
    assert list(response.answers.values_list("level", "comment")) == [(1, "很好")]
    su.refresh_from_db()
    assert su.collection == "online" and su.collected_at is not None


def test_s7_one_response_per_unit_is_a_database_constraint(fieldwork_round):
    su = SampleUnit.objects.filter(round=fieldwork_round).first()
    Response.objects.create(sample_unit=su, channel="online", submitted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(sample_unit=su, channel="staff", submitted_at=timezone.now())


def test_s7_closed_and_unknown_tokens_take_no_answer(fieldwork_round, officemanager_a, supervisor_a):
    assert services.open_sample_unit("x" * 43) is None
    su = SampleUnit.objects.filter(round=fieldwork_round).first()
    assert services.open_sample_unit(su.token) == su
    close_round(fieldwork_round, officemanager_a, supervisor_a)
    assert services.open_sample_unit(su.token) is None


def test_s7_tokens_are_random_and_long(fieldwork_round):
    tokens = list(SampleUnit.objects.filter(round=fieldwork_round).values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens)
    assert all(len(t) >= 43 for t in tokens)  # 32 random bytes, base64url: 256 bits


def test_s7_proxy_phone_answers_capped_at_5_percent(fieldwork_round, supervisor_a, company):
    # 14 forms × 5% = 0.7 -> no proxy answer at all; at 15%: 2
    with pytest.raises(ValidationError, match="上限"):
        answer_all(fieldwork_round, {"security": 2}, 1, by=supervisor_a, channel="phone")
    s = services.settings_for(company)
    s.proxy_cap = 15
    s.save()
    answer_all(fieldwork_round, {"security": 2}, 2, by=supervisor_a, channel="phone")
    assert Response.objects.filter(proxy=True).count() == 2
    with pytest.raises(ValidationError, match="上限"):
        answer_all(fieldwork_round, {"security": 2}, 1, by=supervisor_a, channel="phone")


def test_double_entry_by_another_user_lists_differences(fieldwork_round, supervisor_a, staff2_a):
    su = SampleUnit.objects.filter(round=fieldwork_round, second_entry=True).first()
    assert SampleUnit.objects.filter(round=fieldwork_round, second_entry=True).count() == 2  # 10% of 14, up
    qs = list(fieldwork_round.questionnaire.questions.filter(kind="item"))
    services.response_enter(
        sample_unit=su, by=supervisor_a, channel="staff", levels={qs[0].pk: 1, qs[1].pk: 2}, comments={}
    )
    with pytest.raises(ValidationError, match="另一名用户"):
        services.second_entry_save(sample_unit=su, by=supervisor_a, levels={qs[0].pk: 1})
    services.second_entry_save(sample_unit=su, by=staff2_a, levels={qs[0].pk: 1, qs[1].pk: 3})
    diffs = selectors.entry_differences(su)
    assert [(d["question"].pk, d["first"], d["second"]) for d in diffs] == [(qs[1].pk, 2, 3)]
    services.answer_correct(response=su.response, by=supervisor_a, question=qs[1], level=3)
    assert selectors.entry_differences(su) == []
    assert SecondEntry.objects.count() == 1


def test_s8_closing_below_threshold_needs_a_manager_and_a_reason(fieldwork_round, supervisor_a, officemanager_a):
    sample = list(SampleUnit.objects.filter(round=fieldwork_round).select_related("unit"))
    services.handout_record(survey_round=fieldwork_round, by=supervisor_a, sample_units=sample, channel="door")
    answer_all(fieldwork_round, {"security": 1}, 10, by=supervisor_a)  # 10 / 14 = 71.43% < 75%
    left = list(SampleUnit.objects.filter(round=fieldwork_round, response__isnull=True))
    with pytest.raises(ValidationError, match="电话核实"):
        services.collection_close(survey_round=fieldwork_round, by=officemanager_a, reason="住户外出")
    for su in left[:2]:
        services.unreturned_check(sample_unit=su, by=supervisor_a, note="电话确认已收到问卷，暂未填写")
    with pytest.raises(ValidationError, match="须由经理"):
        services.collection_close(survey_round=fieldwork_round, by=supervisor_a, reason="住户外出")
    with pytest.raises(ValidationError, match="记录原因"):
        services.collection_close(survey_round=fieldwork_round, by=officemanager_a, reason="")
    services.collection_close(survey_round=fieldwork_round, by=officemanager_a, reason="春节后住户外出")
    fieldwork_round.refresh_from_db()
    assert fieldwork_round.close_reason == "春节后住户外出" and fieldwork_round.closed_by == officemanager_a
    rates = selectors.return_rates(fieldwork_round)
    assert rates["total"].rate == Decimal("71.43")
    assert rates["channels"] == {"员工上门回收": 10}


def test_s8_at_threshold_staff_may_close_without_reason(fieldwork_round, supervisor_a):
    sample = list(SampleUnit.objects.filter(round=fieldwork_round).select_related("unit"))
    services.handout_record(survey_round=fieldwork_round, by=supervisor_a, sample_units=sample[:12], channel="door")
    answer_all(fieldwork_round, {"security": 1}, 9, by=supervisor_a)  # 9 / 12 handed out = 75%
    for su in SampleUnit.objects.filter(round=fieldwork_round, response__isnull=True)[:2]:
        services.unreturned_check(sample_unit=su, by=supervisor_a, note="未接听")
    services.collection_close(survey_round=fieldwork_round, by=supervisor_a)
    ds = _deadlines(fieldwork_round)
    assert {r for r, d in ds.items() if d.closed_at is None} == {"S9", "S15", "S19"}
    assert ds["S5"].state == DeadlineState.MET and all(d.closed_at for r, d in ds.items() if r in ("S5", "S7"))
