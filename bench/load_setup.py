"""bench.load's database side (issue 10): the rounds it hands out, what it finds afterwards, and the
clean-up. Everything is made through surveys' services, as an office does it; the rounds are marked
in their plan (MARK) so that a run, or a run after a crashed one, removes all of them."""

from __future__ import annotations

import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from clock.models import Deadline
from estates.models import Community, Company, Role, User
from estates.services import staff_create
from surveys import services
from surveys.models import Answer, Channel, Questionnaire, Response, SampleUnit, SurveyRound, SurveySettings

MARK = "[bench.load]"  # starts the plan's purpose: what a run made (or a crashed run left) is found by it
USER_PREFIX = "bench_load_"
LOOPBACK = "127.0.0.1"
# surveys.views.public counts the links that do not work per client address under this key
THROTTLE_KEY = f"surveys:bad:{LOOPBACK}"
PLAN = {
    "purpose": f"{MARK} 了解业主对管理处服务的满意程度（负载测试）",
    "targets": "入住业主",
    "content": "客户服务、安全、清洁、绿化、维修等",
    "scope": "按楼栋比例抽样",
    "schedule": "线上答卷",
    "requirements": "不满意项目逐一回访",
}


class Made:
    """What the set-up made besides the rounds, to remove afterwards: the company's default
    questionnaire and survey settings, when this run was the first to need them."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self.questionnaire = Questionnaire.objects.filter(company=company, is_default=True).exists()
        self.settings = SurveySettings.objects.filter(company=company).exists()

    def undo(self) -> None:
        with transaction.atomic():
            if not self.questionnaire:
                for q in Questionnaire.objects.filter(company=self.company, is_default=True, rounds__isnull=True):
                    q.questions.all().delete()
                    q.delete()
            if not self.settings:
                SurveySettings.objects.filter(company=self.company).delete()


def _communities(company: Company):
    occupied = Count("buildings__units", filter=Q(buildings__units__occupied=True))
    return (
        Community.objects.filter(office__company=company)
        .select_related("office")
        .annotate(occupied=occupied)
        .order_by("-occupied", "pk")
    )


def _free_period(community: Community, today) -> tuple[int, int]:
    year, half = services.current_half(today)
    taken = set(SurveyRound.objects.filter(community=community).values_list("year", "half"))
    while (year, half) in taken:  # the seed may hold rounds: the next half year without one (S2)
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return year, half


def _temp_user(company: Company, role: str, offices=()) -> User:
    suffix = f"om{offices[0].pk}" if offices else role
    return staff_create(
        username=f"{USER_PREFIX}{suffix}",
        password=secrets.token_urlsafe(24),
        role=role,
        company=company,
        offices=offices,
    )


def setup(company: Company, n: int) -> list[str]:
    """Rounds in fieldwork with every sampled unit handed out by link, until `n` links are out (or
    the company's communities are used up); the links' tokens, busiest community first."""
    today = timezone.localdate()
    approver = _temp_user(company, Role.QA_MANAGER)
    managers: dict[int, User] = {}
    tokens: list[str] = []
    for community in _communities(company):
        if len(tokens) >= n:
            break
        office = community.office
        drafter = User.objects.filter(company=company, role=Role.CS_ASSISTANT, offices=office).order_by("pk").first()
        if drafter is None:
            continue
        if office.pk not in managers:
            managers[office.pk] = _temp_user(company, Role.OFFICE_MANAGER, [office])
        year, half = _free_period(community, today)
        r = services.round_create(community=community, by=drafter, year=year, half=half, **PLAN)
        services.plan_submit(survey_round=r, by=drafter)
        services.plan_review(survey_round=r, by=managers[office.pk])
        services.plan_approve(survey_round=r, by=approver)
        services.sample_draw(survey_round=r, by=drafter, seed=f"bench-load-{community.pk}")
        services.forms_received(survey_round=r, by=drafter)
        sample = list(SampleUnit.objects.filter(round=r, active=True).select_related("unit").order_by("pk"))
        services.handout_record(survey_round=r, by=drafter, sample_units=sample, channel=Channel.LINK)
        tokens += [su.token for su in sample]
    rounds = SurveyRound.objects.filter(purpose__startswith=MARK).count()
    print(f"  set-up: {len(tokens):,} links handed out in {rounds} rounds", flush=True)
    return tokens


def purge(company: Company) -> dict:
    """Remove every round the load made (marked in the plan), with its sample, responses, answers and
    deadlines, the users made for it, and its bad-link counter."""
    rounds = SurveyRound.objects.filter(office__company=company, purpose__startswith=MARK)
    ids = list(rounds.values_list("pk", flat=True))
    ct = ContentType.objects.get_for_model(SurveyRound)
    with transaction.atomic():
        Deadline.objects.filter(subject_type=ct, subject_id__in=ids).delete()
        Answer.objects.filter(response__sample_unit__round_id__in=ids).delete()
        Response.objects.filter(sample_unit__round_id__in=ids).delete()
        SampleUnit.objects.filter(round_id__in=ids).delete()
        removed = SurveyRound.objects.filter(pk__in=ids).delete()[1]
        User.objects.filter(company=company, username__startswith=USER_PREFIX).delete()
    cache.delete(THROTTLE_KEY)
    return removed


def check(out: dict, tokens: list[str]) -> dict:
    """Exactly one response per link the client was thanked for and none for any other, the answers
    stored as sent (count and sum of levels per link), each double submission thanked once, no 5xx."""
    outcomes = out["outcomes"]
    thanked = {t for t, o in outcomes.items() if o.get("submitted")}
    problems = []
    rows = (
        Answer.objects.filter(response__sample_unit__token__in=tokens)
        .values_list("response__sample_unit__token")
        .annotate(n=Count("pk"), levels=Sum("level"))
    )
    stored = {token: (n, levels or 0) for token, n, levels in rows}
    responded = set(Response.objects.filter(sample_unit__token__in=tokens).values_list("sample_unit__token", flat=True))
    if responded != thanked:
        problems.append(
            f"{len(thanked - responded)} thanked links without a response, {len(responded - thanked)} responses "
            "for links never thanked"
        )
    for token in thanked:
        o = outcomes[token]
        if o["submitted"] != 1:
            problems.append(f"link thanked {o['submitted']} times")
        if stored.get(token, (0, 0)) != (o["answers"], o["levels"]):
            problems.append(f"answers stored {stored.get(token)} != sent {(o['answers'], o['levels'])}")
    doubles = [o for o in outcomes.values() if len(o.get("posts", [])) == 2]
    statuses = [status for _kind, status, _ms in out["requests"]]
    server_errors = sum(1 for s in statuses if s >= 500 or s == 0)
    if server_errors:
        problems.append(f"{server_errors} requests failed with 5xx or no answer")
    failed = sum(1 for t, o in outcomes.items() if t not in thanked)
    if failed:
        problems.append(f"{failed} links opened but not thanked (see their GET/POST statuses)")
    return {
        "thanked": len(thanked),
        "responses": len(responded),
        "doubles": len(doubles),
        "5xx": server_errors,
        "failed": failed,
        "not_started": len(out["not_started"]),  # after the time cap: not a failure, reported
        "per_s": len(thanked) / out["wall_s"] if out["wall_s"] else 0.0,
        "post_ms": [ms for kind, status, ms in out["requests"] if kind == "post" and status == 200],
        "get_ms": [ms for kind, status, ms in out["requests"] if kind == "get" and status == 200],
        "problems": problems,
    }
