"""Demo surveys for `seed_demo` (estates.demo.seed_all calls `seed(company)`).

- the older community (科信小区): the half year before last and last half year finished from plan to
  notice board (the later compares with the earlier), and this half year's round closed with its
  statistics done and an open letter awaiting the management representative;
- the newer community (翠湖苑): this half year's round in collection, some residents answered online.
Everything goes through the services, each step at its own past moment, so deadlines, notifications,
register entries and corrective actions are what real use would have made. Idempotent: nothing is
added when the company already has survey rounds.
"""

from __future__ import annotations

import datetime
import random
from contextlib import contextmanager
from unittest import mock

from django.db import transaction
from django.utils import timezone

from clock.calendar import SHANGHAI
from estates.models import Community, Company, Role, User

from . import services
from .models import Collection, SampleUnit, SurveyRound

PLAN = {
    "purpose": "了解业主对管理处各项服务的满意程度，找出主要不满意因素，持续改进服务质量。",
    "targets": "本小区已入住业主/住户",
    "content": "客户服务、安全管理、清洁卫生、绿化、维修、公共设施、停车、收费透明度、社区活动",
    "scope": "按楼栋比例随机抽样，每栋按份额发放；不在此居住的业主电话或邮寄调查",
    "schedule": "收到质管部问卷后3天内发放，10天内回收；客服部全体人员负责",
    "requirements": "3天内完成统计分析，意见逐条登记；不满意项目逐户回访，意见集中时发公开信",
}
COMMENTS = ["晚上巡逻太少", "电梯经常故障", "垃圾清运不及时", "停车位太少", "维修响应很快，谢谢", "绿化很好"]
LETTER = (
    "尊敬的各位业主：\n感谢您参与本次满意度调查。调查中大家对安全管理和停车管理的意见较为集中，"
    "管理处已制定以下整改措施，请大家监督。"
)
PROMISES = ["夜间巡逻由每4小时一次改为每2小时一次", "一个月内完成地面停车位重新划线，增加车位20个"]


@contextmanager
def _at(moment: datetime.datetime):
    """Run the services as if it were `moment` (demo history only)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _user(company: Company, role: str, office=None) -> User | None:
    users = User.objects.filter(company=company, role=role, is_active=True)
    if office is not None:
        users = users.filter(offices=office)
    return users.order_by("pk").first()


def _half_start(year: int, half: int) -> datetime.datetime:
    return datetime.datetime(year, 1 if half == 1 else 7, 1, 9, 0, tzinfo=SHANGHAI)


def _previous(year: int, half: int) -> tuple[int, int]:
    return (year, 1) if half == 2 else (year - 1, 2)


def _levels(rng: random.Random, questions, good: bool) -> dict[int, int | None]:
    weights = [40, 40, 12, 3, 4, 1] if good else [30, 38, 14, 12, 5, 1]
    return {q.pk: rng.choices([1, 2, 3, 4, 5, None], weights)[0] for q in questions if q.kind == "item"}


def _run_round(
    community: Community, users: dict, start: datetime.datetime, rng: random.Random, *, finish: bool, good: bool
) -> SurveyRound:
    """Plan, approval, sample, hand-out, answers and closing, from `start` on; `finish` runs it on to
    the notice board, otherwise it stops with the open letter awaiting the management representative."""
    day = datetime.timedelta(days=1)
    year, half = start.year, 1 if start.month <= 6 else 2
    with _at(start):
        r = services.round_create(community=community, by=users["drafter"], year=year, half=half, **PLAN)
        services.plan_submit(survey_round=r, by=users["drafter"])
    with _at(start + day):
        services.plan_review(survey_round=r, by=users["reviewer"])
    with _at(start + 2 * day):
        services.plan_approve(survey_round=r, by=users["approver"])
        services.sample_draw(survey_round=r, by=users["drafter"], seed=f"demo-{community.pk}-{year}-{half}")
    with _at(start + 3 * day):
        services.forms_received(survey_round=r, by=users["drafter"])
    sample = list(SampleUnit.objects.filter(round=r).select_related("unit"))
    with _at(start + 4 * day):
        door = [su for su in sample if not su.unit.owner_absent]
        services.handout_record(survey_round=r, by=users["drafter"], sample_units=door, channel="door")
        absent = [su for su in sample if su.unit.owner_absent]
        services.handout_record(survey_round=r, by=users["drafter"], sample_units=absent, channel="phone")
    questions = list(r.questionnaire.questions.all())
    rng.shuffle(sample)  # who answers is spread over the buildings
    for i, su in enumerate(sample[: int(len(sample) * 0.86)]):
        comments = {questions[0].pk: rng.choice(COMMENTS)} if i % 9 == 0 else {}
        with _at(start + (5 + i % 8) * day + datetime.timedelta(minutes=i)):
            services.response_enter(
                sample_unit=su,
                by=users["drafter"],
                channel=Collection.STAFF,
                levels=_levels(rng, questions, good),
                comments=comments,
            )
    with _at(start + 14 * day):
        for su in sample[int(len(sample) * 0.86) :][:2]:
            services.unreturned_check(sample_unit=su, by=users["drafter"], note="电话确认收到问卷，外出未填")
        services.collection_close(survey_round=r, by=users["reviewer"])
    with _at(start + 16 * day):
        services.statistics_done(survey_round=r, by=users["drafter"])
    with _at(start + 18 * day):
        letter = services.letter_draft(
            survey_round=r, by=users["drafter"], title="致全体业主的公开信", body=LETTER, promises=PROMISES
        )
        services.letter_submit(letter=letter, by=users["drafter"])
    if not finish:
        return r
    with _at(start + 20 * day):
        services.letter_approve(letter=letter, by=users["mgmtrep"])
    with _at(start + 21 * day):
        services.letter_post(letter=letter, by=users["drafter"])
        services.results_post(survey_round=r, by=users["drafter"])
    with _at(start + 23 * day):
        services.send_to_qa(survey_round=r, by=users["drafter"])
    with _at(start + 24 * day):
        services.qa_forward(survey_round=r, by=users["qa"], summary="安全管理、停车管理意见集中，已督促整改。")
    with _at(start + 26 * day):
        services.mr_review(survey_round=r, by=users["mgmtrep"])
    return r


def seed(company: Company, now: datetime.datetime | None = None) -> int:
    """Create the demo survey rounds of `company`; returns how many were made (0 when already there)."""
    if SurveyRound.objects.filter(office__company=company).exists():
        return 0
    now = now or timezone.now()
    communities = {c.office.code: c for c in Community.objects.filter(office__company=company).select_related("office")}
    older, newer = communities.get("kexin"), communities.get("cuihu")
    if older is None:
        return 0
    users = {
        "drafter": _user(company, Role.CS_ASSISTANT, older.office),
        "reviewer": _user(company, Role.OFFICE_MANAGER, older.office),
        "approver": _user(company, Role.QA_MANAGER),
        "mgmtrep": _user(company, Role.MGMT_REP),
        "qa": _user(company, Role.QA_STAFF),
    }
    if any(u is None for u in users.values()):
        return 0
    rng = random.Random(2026)  # noqa: S311 - demo data
    local = now.astimezone(SHANGHAI)
    year, half = local.year, 1 if local.month <= 6 else 2
    last = _previous(year, half)
    before = _previous(*last)
    made = 0
    with transaction.atomic():
        for y, h, good in ((*before, False), (*last, True)):
            _run_round(older, users, _half_start(y, h) + datetime.timedelta(days=60), rng, finish=True, good=good)
            made += 1
        # This half year: closed, statistics done, the open letter with the management representative.
        _run_round(older, users, now - datetime.timedelta(days=20), rng, finish=False, good=True)
        made += 1
        if newer is not None:
            made += _seed_collecting(newer, users, now, rng)
    return made


def _seed_collecting(community: Community, users: dict, now: datetime.datetime, rng: random.Random) -> int:
    """The newer community's round in collection, some residents answered online. Its office has no
    supervisor in the demo, so QA's manager approves a plan its office manager would have reviewed:
    the plan is written as the office's front desk drafted it (the demo's only user there)."""
    drafter = _user(community.office.company, Role.FRONT_DESK, community.office)
    if drafter is None:
        return 0
    day = datetime.timedelta(days=1)
    start = now - 6 * day
    local = now.astimezone(SHANGHAI)
    with _at(start):
        r = SurveyRound.objects.create(
            office=community.office,
            community=community,
            year=local.year,
            half=1 if local.month <= 6 else 2,
            questionnaire=services.default_questionnaire(community.office.company),
            author=drafter,
            policy=services.settings_for(community.office.company).sample_policy,
            submitted_at=start,
            **PLAN,
        )
        SurveyRound.objects.filter(pk=r.pk).update(state="reviewed", reviewed_at=start)
        r.refresh_from_db()
        services.plan_approve(survey_round=r, by=users["approver"])
        services.sample_draw(survey_round=r, by=drafter, seed=f"demo-{community.pk}")
    with _at(start + day):
        services.forms_received(survey_round=r, by=drafter)
    sample = list(SampleUnit.objects.filter(round=r).select_related("unit"))
    with _at(start + 2 * day):
        door = [su for su in sample if not su.unit.owner_absent]
        services.handout_record(survey_round=r, by=drafter, sample_units=door, channel="door")
        absent = [su for su in sample if su.unit.owner_absent]
        services.handout_record(survey_round=r, by=drafter, sample_units=absent, channel="mail")
    questions = list(r.questionnaire.questions.all())
    for i, su in enumerate(sample[: len(sample) // 3]):
        with _at(start + (3 + i % 3) * day + datetime.timedelta(minutes=i)):
            services.response_submit_online(token=su.token, levels=_levels(rng, questions, True), comments={})
    return 1
