"""S1-S4 through the services: the plan's approval chain, one round per half year, the sample."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from estates.models import Unit, User
from surveys import services
from surveys.models import RoundState, SampleUnit
from tests.factories import BuildingFactory, CommunityFactory

from .conftest import PLAN


def test_s1_plan_drafted_reviewed_by_office_manager_approved_by_company(
    frozen, community_a, supervisor_a, officemanager_a, qamanager
):
    r = services.round_create(community=community_a, by=supervisor_a, year=2026, half=1, **PLAN)
    assert r.state == RoundState.DRAFT and r.purpose == PLAN["purpose"]
    services.plan_submit(survey_round=r, by=supervisor_a)
    with pytest.raises(ValidationError):  # the company may not skip the office manager's review
        services.plan_approve(survey_round=r, by=qamanager)
    with pytest.raises(ValidationError):  # only the office manager reviews
        services.plan_review(survey_round=r, by=supervisor_a)
    services.plan_review(survey_round=r, by=officemanager_a)
    services.plan_approve(survey_round=r, by=qamanager)
    r.refresh_from_db()
    assert (r.state, r.reviewed_by, r.approved_by) == (RoundState.APPROVED, officemanager_a, qamanager)
    assert r.questionnaire.frozen  # F4: in use, frozen


def test_s1_approver_is_never_the_author(frozen, community_a, officemanager_a, qamanager):
    # A QA manager drafting is refused already; an office manager who drafts may review, but the
    # company approval refuses the author even when they hold the permission.
    r = services.round_create(community=community_a, by=officemanager_a, year=2026, half=1, **PLAN)
    services.plan_submit(survey_round=r, by=officemanager_a)
    services.plan_review(survey_round=r, by=officemanager_a)
    officemanager_a.user_permissions.add(*Permission.objects.filter(codename="approve_plan"))
    author = User.objects.get(pk=officemanager_a.pk)
    with pytest.raises(ValidationError, match="起草人"):
        services.plan_approve(survey_round=r, by=author)
    services.plan_approve(survey_round=r, by=qamanager)


def test_s1_nothing_handed_out_before_approval(frozen, community_a, supervisor_a):
    r = services.round_create(community=community_a, by=supervisor_a, year=2026, half=1, **PLAN)
    with pytest.raises(ValidationError):
        services.sample_draw(survey_round=r, by=supervisor_a)
    with pytest.raises(ValidationError):
        services.forms_received(survey_round=r, by=supervisor_a)


def test_s1_returned_plan_goes_back_to_the_author(frozen, community_a, supervisor_a, officemanager_a):
    r = services.round_create(community=community_a, by=supervisor_a, year=2026, half=1, **PLAN)
    services.plan_submit(survey_round=r, by=supervisor_a)
    services.plan_return(survey_round=r, by=officemanager_a, note="补充回访要求")
    r.refresh_from_db()
    assert (r.state, r.returned_note) == (RoundState.DRAFT, "补充回访要求")


def test_s2_one_round_per_community_and_half_year(frozen, community_a, supervisor_a):
    services.round_create(community=community_a, by=supervisor_a, year=2026, half=1, **PLAN)
    with pytest.raises(ValidationError, match="半年度"):
        services.round_create(community=community_a, by=supervisor_a, year=2026, half=1, **PLAN)
    services.round_create(community=community_a, by=supervisor_a, year=2026, half=2, **PLAN)


def test_s1_outsider_cannot_draft_for_another_office(frozen, community_a, frontdesk_b):
    with pytest.raises(ValidationError):
        services.round_create(community=community_a, by=frontdesk_b, year=2026, half=1, **PLAN)


def test_s3_s4_draw_size_by_policy_and_buildings_by_largest_remainder(approved_round, supervisor_a):
    # 90 occupied units, occupied 2016 -> 15% = 13.5 -> 14 forms. Buildings 40/30/20: quotas
    # 6.22, 4.67, 3.11 -> 6, 4, 3 and the one left to the largest remainder (2栋): 6, 5, 3.
    sample = services.sample_draw(survey_round=approved_round, by=supervisor_a, seed="abc")
    approved_round.refresh_from_db()
    assert approved_round.required_size == 14 and len(sample) == 14
    assert "15%" in approved_round.size_reason  # stored in the product language
    per = {}
    for su in SampleUnit.objects.filter(round=approved_round).select_related("building", "unit"):
        per[su.building.name] = per.get(su.building.name, 0) + 1
        assert su.unit.occupied
    assert per == {"1栋": 6, "2栋": 5, "3栋": 3}
    assert approved_round.seed == "abc"
    # The draw is recorded and cannot run twice.
    with pytest.raises(ValidationError):
        services.sample_draw(survey_round=approved_round, by=supervisor_a)


def test_s4_draw_is_reproducible_from_the_recorded_seed(approved_round, supervisor_a):
    from surveys import rules
    from surveys.services.plans import _occupied_by_building

    services.sample_draw(survey_round=approved_round, by=supervisor_a)
    approved_round.refresh_from_db()
    drawn = sorted(SampleUnit.objects.filter(round=approved_round).values_list("unit_id", flat=True))
    again = rules.draw_sample(_occupied_by_building(approved_round), approved_round.required_size, approved_round.seed)
    assert sorted(again) == drawn


def test_s3_coverage_second_round_covers_every_occupied_unit_within_the_year(
    frozen, company, office_a, supervisor_a, officemanager_a, qamanager
):
    settings = services.settings_for(company)
    settings.sample_policy = "coverage"
    settings.save()
    community = CommunityFactory(office=office_a, name="小区C", households=400)
    for name in ("A", "B"):
        b = BuildingFactory(community=community, name=name)
        Unit.objects.bulk_create(Unit(building=b, number=str(i)) for i in range(20))
    rounds = []
    for half in (1, 2):
        r = services.round_create(community=community, by=supervisor_a, year=2026, half=half, **PLAN)
        services.plan_submit(survey_round=r, by=supervisor_a)
        services.plan_review(survey_round=r, by=officemanager_a)
        services.plan_approve(survey_round=r, by=qamanager)
        services.sample_draw(survey_round=r, by=supervisor_a)
        rounds.append(r)
    first, second = (set(SampleUnit.objects.filter(round=r).values_list("unit_id", flat=True)) for r in rounds)
    assert len(first) == len(second) == 34  # 85% of 40
    assert first | second == set(Unit.objects.filter(building__community=community).values_list("pk", flat=True))


def test_s4_swap_for_a_unit_in_the_same_building_with_reason(approved_round, supervisor_a):
    services.sample_draw(survey_round=approved_round, by=supervisor_a, seed="x")
    su = SampleUnit.objects.filter(round=approved_round).select_related("building").first()
    sampled = SampleUnit.objects.filter(round=approved_round).values_list("unit_id", flat=True)
    other_building = Unit.objects.exclude(building=su.building).exclude(pk__in=sampled).filter(occupied=True).first()
    with pytest.raises(ValidationError, match="同一楼栋"):
        services.sample_swap(sample_unit=su, by=supervisor_a, replacement=other_building, reason="长期无人")
    same = Unit.objects.filter(building=su.building, occupied=True).exclude(pk__in=sampled).first()
    with pytest.raises(ValidationError):
        services.sample_swap(sample_unit=su, by=supervisor_a, replacement=same, reason=" ")
    new = services.sample_swap(sample_unit=su, by=supervisor_a, replacement=same, reason="长期无人")
    su.refresh_from_db()
    assert not su.active and su.swapped_for == new and su.swap_reason == "长期无人"
    assert SampleUnit.objects.filter(round=approved_round, active=True).count() == 14


def test_f4_frozen_questionnaire_changes_make_a_new_version(approved_round, qa):
    q = approved_round.questionnaire
    item = q.questions.first()
    with pytest.raises(ValidationError, match="冻结"):
        services.question_save(question=item, by=qa, text="改", department_kind="")
    v2 = services.questionnaire_new_version(questionnaire=q, by=qa)
    assert (v2.family, v2.version, v2.frozen) == (q.family, 2, False)
    assert v2.questions.count() == q.questions.count()
    services.question_save(question=v2.questions.first(), by=qa, text="新措辞", department_kind="")
    item.refresh_from_db()
    assert item.text != "新措辞"
