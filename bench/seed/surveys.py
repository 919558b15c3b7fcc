"""Seed stage 4: satisfaction surveys (S1-S19) as surveys.services leave them.

The company's settings and default questionnaire (the real services make them; frozen from the
first approval), then `ctx.rounds` rounds per community, one each half year back from the half the
data ends in: the plan drafted, reviewed and approved, the sample drawn by the rules (rules.
sample_size_info: 15% or 30% of the occupied units by occupancy age, rules.draw_sample over the
buildings with a recorded seed, rules.double_entry_pick), the forms handed out and most collected
(paper keyed by staff, some online, a few proxy phone answers within the cap), answers with a
realistic spread (a blank left out, S10), collection closed, statistics done, the open letter
posted, sent to QA and the results posted — each step only if it happened before the data ends, so
the latest round may still be in the field. Tokens are drawn from the seed (same format as
secrets.token_urlsafe(32)), so the data is deterministic. Follow-up rows: survey_followup."""

from __future__ import annotations

import base64
import datetime

from django.utils import translation

from clock.calendar import SHANGHAI
from estates.models import Department, Role
from surveys.models import Answer, Questionnaire, Response, SampleUnit, SecondEntry, SurveyRound
from surveys.models.questionnaires import QuestionKind
from surveys.models.rounds import RoundState
from surveys.rules import POLICY_OCCUPANCY_AGE, double_entry_pick, draw_sample, proxy_cap, sample_size_info
from surveys.services.questionnaires import default_questionnaire, settings_for

from . import survey_followup
from .complaints import _weighted
from .context import Context
from .writer import CHUNK, RawJson, Template, next_id, reset_sequences, write

BULK = (SurveyRound, SampleUnit, Response, Answer, SecondEntry, *survey_followup.BULK)
HANDOUT = {"door": 82, "phone": 4, "mail": 4, "link": 10}
COLLECTION = {"staff": 55, "guard": 21, "online": 16, "mail": 4, "phone": 4}
# Answer levels (1 very satisfied … 4 dissatisfied, 5 no opinion, 0 blank: no row).
LEVELS = {1: 34, 2: 41, 3: 16, 4: 4, 5: 3, 0: 2}
PLAN = {
    "purpose": "了解业主对物业服务的满意程度，持续改进服务质量。",
    "targets": "本小区已入住业主及住户。",
    "content": "按公司《顾客满意度调查表》对各项服务进行评价。",
    "scope": "按入住年限抽取已入住单元，各楼栋按比例分配。",
    "schedule": "客服部负责派发与回收，三日内派发完毕，十日内回收。",
    "requirements": "不满意项逐户回访，意见和建议录入沟通登记表。",
}


def token(rng) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32, "big")).rstrip(b"=").decode()


def _days(rng, low: float, high: float) -> datetime.timedelta:
    return datetime.timedelta(days=rng.uniform(low, high))


def halves(end: datetime.datetime, count: int) -> list[tuple[int, int]]:
    local = end.astimezone(SHANGHAI)
    year, half = local.year, 1 if local.month <= 6 else 2
    out = []
    for _i in range(count):
        out.append((year, half))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return out[::-1]


def _timeline(rng, year: int, half: int) -> dict[str, datetime.datetime]:
    """Every step of a round's life, each a few days after the one before (S5-S19 time limits mostly
    kept; now and then late)."""
    start = datetime.datetime(year, 1 if half == 1 else 7, 1, 9, tzinfo=SHANGHAI)
    t: dict[str, datetime.datetime] = {"created": start + _days(rng, 10, 45)}
    t["submitted"] = t["created"] + _days(rng, 0.5, 3)
    t["reviewed"] = t["submitted"] + _days(rng, 0.2, 2)
    t["approved"] = t["reviewed"] + _days(rng, 0.5, 3)
    t["drawn"] = t["approved"] + _days(rng, 0.05, 1)
    t["forms_received"] = t["drawn"] + _days(rng, 1, 4)
    t["handout_done"] = t["forms_received"] + _days(rng, 1, 3.3)
    t["closed"] = t["handout_done"] + _days(rng, 7, 10.5)
    t["statistics"] = t["closed"] + _days(rng, 0.5, 3.3)
    t["letter_posted"] = t["statistics"] + _days(rng, 2, 11)
    t["sent_to_qa"] = t["letter_posted"] + _days(rng, 0.5, 5.5)
    t["qa_forwarded"] = t["sent_to_qa"] + _days(rng, 0.5, 4)
    t["mr_reviewed"] = t["qa_forwarded"] + _days(rng, 0.5, 5)
    t["results_posted"] = t["closed"] + _days(rng, 12, 31)
    return t


STATES = [  # (step, the state once it happened), latest first
    ("statistics", RoundState.ANALYSED),
    ("closed", RoundState.CLOSED),
    ("forms_received", RoundState.FIELDWORK),
    ("approved", RoundState.APPROVED),
    ("reviewed", RoundState.REVIEWED),
    ("submitted", RoundState.SUBMITTED),
    ("created", RoundState.DRAFT),
]


def run(ctx: Context) -> None:  # noqa: C901, PLR0915 - one pass over rounds writing five tables
    rng, made = ctx.rng, ctx.made
    company, offices, users = made["company"], made["offices"], made["users"]
    settings = settings_for(company)
    questionnaire = default_questionnaire(company)
    questions = list(questionnaire.questions.order_by("position"))
    items = [q for q in questions if q.kind == QuestionKind.ITEM]
    opens = [q for q in questions if q.kind == QuestionKind.OPEN]
    office_index = {o.pk: i for i, o in enumerate(offices)}
    dm = users[Role.DEPT_MANAGER]
    people = {  # per office: (customer service assistant, its department manager, office manager)
        o.pk: (users[Role.CS_ASSISTANT][i], dm[i * 4], users[Role.OFFICE_MANAGER][i]) for i, o in enumerate(offices)
    }
    qa_manager, qa_staff = users[Role.QA_MANAGER][0], users[Role.QA_STAFF][0]
    departments = {(d.office_id, d.kind): d.pk for d in Department.objects.filter(company=company)}
    r_t, su_t, re_t, an_t, se_t = (Template(m) for m in (SurveyRound, SampleUnit, Response, Answer, SecondEntry))
    rid, suid, reid, anid, seid = (next_id(m) for m in (SurveyRound, SampleUnit, Response, Answer, SecondEntry))
    rows_r, rows_su, rows_re, rows_an, rows_se = [], [], [], [], []
    follow = survey_followup.Followup(ctx, departments, people, qa_staff)
    end = ctx.end
    periods = halves(end, min(ctx.rounds, 2 * ctx.years))
    level_keys, level_cum = _weighted_table(LEVELS)
    first_approved = None
    counts = {"rounds": 0, "sample": 0, "responses": 0, "answers": 0}

    def at(key, t):
        return t[key] if t[key] <= end else None

    for community in made["communities"]:
        units = made["community_units"][community.pk]
        by_building: dict[int, list[int]] = {}
        for unit, building in units:
            by_building.setdefault(building, []).append(unit)
        building_of = dict(units)
        cs, cs_dm, om = people[community.office_id]
        # A few offices do better than others: a share of their "satisfied" drifts to the worse levels.
        mood = 1 + 0.6 * (office_index[community.office_id] % 3) / 2
        for year, half in periods:
            t = _timeline(rng, year, half)
            if t["created"] > end:
                continue
            state = next(s for step, s in STATES if t[step] <= end)
            drawn = at("drawn", t)
            size = sample_size_info(
                POLICY_OCCUPANCY_AGE,
                occupied_units=len(units),
                households=community.households,
                occupied_since=community.occupied_on,
                on=t["drawn"].astimezone(SHANGHAI).date(),
            )
            seed = f"{rng.getrandbits(128):032x}"
            if t["approved"] <= end and (first_approved is None or t["approved"] < first_approved):
                first_approved = t["approved"]
            with translation.override("zh-hans"):
                reason = str(size.reason)[:200]
            stats = {
                "statistics_at": at("statistics", t),
                "letter_posted_at": at("letter_posted", t),
                "sent_to_qa_at": at("sent_to_qa", t),
                "qa_forwarded_at": at("qa_forwarded", t),
                "mr_reviewed_at": at("mr_reviewed", t),
                "results_posted_at": at("results_posted", t),
            }
            closed = at("closed", t)
            rows_r.append(
                r_t.row(
                    id=rid,
                    office_id=community.office_id,
                    community_id=community.pk,
                    year=year,
                    half=half,
                    questionnaire_id=questionnaire.pk,
                    state=state,
                    **PLAN,
                    author_id=cs_dm,
                    created_at=t["created"],
                    submitted_at=at("submitted", t),
                    reviewed_by_id=om if at("reviewed", t) else None,
                    reviewed_at=at("reviewed", t),
                    approved_by_id=qa_manager if at("approved", t) else None,
                    approved_at=at("approved", t),
                    policy=POLICY_OCCUPANCY_AGE,
                    required_size=size.size if drawn else None,
                    size_reason=reason if drawn else "",
                    seed=seed if drawn else "",
                    drawn_at=drawn,
                    drawn_by_id=cs_dm if drawn else None,
                    forms_received_at=at("forms_received", t),
                    handout_done_at=at("handout_done", t),
                    closed_at=closed,
                    closed_by_id=cs_dm if closed else None,
                    statistics_by_id=cs_dm if stats["statistics_at"] else None,
                    sent_to_qa_by_id=cs_dm if stats["sent_to_qa_at"] else None,
                    qa_forwarded_by_id=qa_staff if stats["qa_forwarded_at"] else None,
                    qa_summary="各管理处问题已汇总，请管理者代表审阅。" if stats["qa_forwarded_at"] else "",
                    public_token=token(rng),
                    **stats,
                )
            )
            counts["rounds"] += 1
            if drawn:
                chosen = draw_sample(by_building, size.size, seed)
                double = set(double_entry_pick(chosen, settings.double_entry, seed))
                proxies_left = proxy_cap(len(chosen), settings.proxy_cap)
                handouts = _weighted(rng, HANDOUT, len(chosen))
                collections = _weighted(rng, COLLECTION, len(chosen))
                dissatisfied: list[tuple[int, int, int]] = []  # (sample unit, question, answer)
                for unit, handout, collection in zip(chosen, handouts, collections, strict=True):
                    handed = t["forms_received"] + _days(rng, 0.1, (t["handout_done"] - t["forms_received"]).days + 0.3)
                    handed = min(handed, t["handout_done"])
                    handed = handed if handed <= end else None
                    returned = handed is not None and rng.random() < 0.9
                    collected = min(handed + _days(rng, 0.3, 9), t["closed"]) if returned else None
                    if collected is not None and collected > end:
                        collected = None
                    if collection == "phone":
                        if proxies_left <= 0:
                            collection = "staff"
                        else:
                            proxies_left -= 1
                    paper = collection in ("staff", "guard", "mail")
                    submitted = None
                    if collected is not None:
                        submitted = min(collected + _days(rng, 0.1, 1.5), t["closed"]) if paper else collected
                        submitted = submitted if submitted <= end else None
                    rows_su.append(
                        su_t.row(
                            id=suid,
                            round_id=rid,
                            unit_id=unit,
                            building_id=building_of[unit],
                            token=token(rng),
                            second_entry=unit in double,
                            handed_out_at=handed,
                            handout_channel=handout if handed else "",
                            handed_out_by_id=cs if handed else None,
                            collected_at=collected,
                            collection=collection if collected else "",
                            collected_by_id=(cs if collection != "online" else None) if collected else None,
                        )
                    )
                    if submitted is not None:
                        rows_re.append(
                            re_t.row(
                                id=reid,
                                sample_unit_id=suid,
                                channel=collection,
                                proxy=collection == "phone",
                                entered_by_id=None if collection == "online" else cs,
                                submitted_at=submitted,
                            )
                        )
                        levels = rng.choices(level_keys, cum_weights=level_cum, k=len(items))
                        keyed = {}
                        for question, level in zip(items, levels, strict=True):
                            if level in (1, 2) and rng.random() < 0.05 * (mood - 1):
                                level = 3 if level == 1 else 4
                            keyed[str(question.pk)] = level or None
                            if level:
                                rows_an.append(
                                    an_t.row(id=anid, response_id=reid, question_id=question.pk, level=level)
                                )
                                if level == 4:
                                    dissatisfied.append((suid, question.pk, anid))
                                anid += 1
                        if paper and unit in double:
                            rows_se.append(
                                se_t.row(
                                    id=seid,
                                    sample_unit_id=suid,
                                    entered_by_id=cs_dm,
                                    entered_at=submitted + _days(rng, 0.05, 1),
                                    levels=RawJson(_json(keyed)),
                                )
                            )
                            seid += 1
                        if opens and rng.random() < 0.03:
                            rows_an.append(
                                an_t.row(id=anid, response_id=reid, question_id=opens[0].pk, comment="希望加强小区管理")
                            )
                            follow.comment(community, unit, anid, opens[0], "希望加强小区管理", submitted, stats, cs_dm)
                            anid += 1
                        reid += 1
                    suid += 1
                counts["sample"] += len(chosen)
                if stats["statistics_at"]:
                    follow.analysed(community, rid, items, dissatisfied, stats, year, half)
            follow.deadlines(community, rid, t, year, half)
            rid += 1
            if len(rows_an) >= CHUNK:
                counts["responses"] += len(rows_re)
                counts["answers"] += len(rows_an)
                _flush((r_t, rows_r), (su_t, rows_su), (re_t, rows_re), (an_t, rows_an), (se_t, rows_se))
                follow.flush()
    counts["responses"] += len(rows_re)
    counts["answers"] += len(rows_an)
    _flush((r_t, rows_r), (su_t, rows_su), (re_t, rows_re), (an_t, rows_an), (se_t, rows_se))
    follow.flush()
    reset_sequences(*BULK)  # (waits for the COPYs)
    if first_approved is not None:
        Questionnaire.objects.filter(pk=questionnaire.pk, frozen_at__isnull=True).update(frozen_at=first_approved)
    ctx.log("surveys: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + ", " + follow.summary())


def _flush(*pairs) -> None:
    for template, rows in pairs:
        write(template, rows)
        rows.clear()


def _json(levels: dict[str, int | None]) -> str:
    return "{" + ", ".join(f'"{k}": {"null" if v is None else v}' for k, v in levels.items()) + "}"


def _weighted_table(table: dict[int, int]) -> tuple[list[int], list[int]]:
    keys, cum, total = [], [], 0
    for key, weight in table.items():
        total += weight
        keys.append(key)
        cum.append(total)
    return keys, cum
