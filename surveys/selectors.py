"""Reads of the survey procedure: office-scoped lookups (404 outside the user's offices), lists, the
return rate (S8) and the statistics (S9-S13), each an aggregate in the database. Also what other apps
read: `survey_deadlines_met` (inspections, per office and month) and `open_letter_promises` (Q3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet

from clock.models import Deadline, DeadlineState
from clock.worktime import SHANGHAI
from estates.models import Company, Office, User
from estates.scoping import get_for_user, scoped

from . import rules
from .models import (
    Answer,
    Collection,
    OpenLetter,
    OpenLetterPromise,
    QuestionKind,
    Questionnaire,
    ReturnVisit,
    SampleUnit,
    SurveyRound,
    SurveySettings,
)
from .rules import Level

SURVEY_RULES = (rules.RULE_S5, rules.RULE_S7, rules.RULE_S9, rules.RULE_S15, rules.RULE_S16, rules.RULE_S19)


# ---------------------------------------------------------------------------------------------
# Office-scoped lookups (STYLE.md 3)


def round_for_user(user: User, round_id: int) -> SurveyRound:
    qs = SurveyRound.objects.select_related("office", "community", "questionnaire", "author")
    return get_for_user(qs, user, pk=round_id)


def sample_unit_for_user(user: User, round_id: int, sample_id: int) -> SampleUnit:
    qs = SampleUnit.objects.select_related(
        "round__office", "round__community", "round__questionnaire", "unit__building"
    )
    return get_for_user(qs, user, pk=sample_id, round_id=round_id)


def letter_for_user(user: User, round_id: int) -> OpenLetter:
    return get_for_user(OpenLetter.objects.select_related("round__office", "round__community"), user, round_id=round_id)


def promise_for_user(user: User, promise_id: int) -> OpenLetterPromise:
    return get_for_user(OpenLetterPromise.objects.select_related("letter__round"), user, pk=promise_id)


def return_visit_for_user(user: User, visit_id: int) -> ReturnVisit:
    return get_for_user(ReturnVisit.objects.select_related("round"), user, pk=visit_id)


def questionnaire_for_user(user: User, questionnaire_id: int) -> Questionnaire:
    from django.http import Http404

    found = Questionnaire.objects.filter(pk=questionnaire_id, company_id=user.company_id).first()
    if found is None:
        raise Http404
    return found


# ---------------------------------------------------------------------------------------------
# Lists


def survey_settings(company: Company) -> SurveySettings:
    """The company's survey settings, or the defaults (unsaved) when it has set none: a read."""
    return SurveySettings.objects.filter(company=company).first() or SurveySettings(company=company)


def round_list(user: User, *, state: str = "") -> QuerySet[SurveyRound]:
    qs = scoped(SurveyRound.objects.select_related("office", "community"), user)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-year", "-half", "community__name", "pk")


def sample_list(survey_round: SurveyRound, *, building: int | None = None) -> QuerySet[SampleUnit]:
    qs = (
        SampleUnit.objects.filter(round=survey_round)
        .select_related("unit", "building", "swapped_for__unit")
        .annotate(answered=Count("response"), checks_made=Count("checks"))
        .order_by("building__name", "unit__number", "pk")
    )
    if building:
        qs = qs.filter(building_id=building)
    return qs


def next_to_key(survey_round: SurveyRound, after: SampleUnit | None = None) -> SampleUnit | None:
    """Paper entry: the next active unit (in form order) with no response yet."""
    qs = sample_list(survey_round).filter(active=True, response__isnull=True)
    if after is not None:
        key = (after.building.name, after.unit.number, after.pk)
        later = qs.filter(
            Q(building__name__gt=key[0])
            | Q(building__name=key[0], unit__number__gt=key[1])
            | Q(building__name=key[0], unit__number=key[1], pk__gt=key[2])
        ).first()
        if later is not None:
            return later
    return qs.first()


def entry_differences(sample_unit: SampleUnit) -> list[dict]:
    """Double entry: the items where the second keying differs from the stored answer."""
    second = getattr(sample_unit, "second", None)
    response = getattr(sample_unit, "response", None)
    if second is None or response is None:
        return []
    first = dict(response.answers.values_list("question_id", "level"))
    out = []
    for q in sample_unit.round.questionnaire.questions.filter(kind=QuestionKind.ITEM).order_by("position"):
        a, b = first.get(q.pk), second.levels.get(str(q.pk))
        if a != b:
            out.append({"question": q, "first": a, "second": b})
    return out


def return_visit_queue(user: User, *, state: str = ReturnVisit.State.PENDING) -> QuerySet[ReturnVisit]:
    return scoped(
        ReturnVisit.objects.filter(state=state).select_related(
            "round__community", "sample_unit__unit__building", "question", "answer"
        ),
        user,
    ).order_by("round_id", "sample_unit_id", "question_id")


# ---------------------------------------------------------------------------------------------
# S8: the live return rate, per building and per channel


@dataclass
class RateRow:
    label: str
    sampled: int
    handed: int
    returned: int

    @property
    def rate(self) -> Decimal | None:
        return rules.return_rate(self.returned, self.handed)


def return_rates(survey_round: SurveyRound) -> dict:
    active = SampleUnit.objects.filter(round=survey_round, active=True)
    per_building = (
        active.values("building__name")
        .annotate(
            sampled=Count("pk"),
            handed=Count("pk", filter=Q(handed_out_at__isnull=False)),
            returned=Count("response"),
        )
        .order_by("building__name")
    )
    buildings = [RateRow(r["building__name"], r["sampled"], r["handed"], r["returned"]) for r in per_building]
    per_channel = active.filter(response__isnull=False).values("response__channel").annotate(n=Count("pk"))
    labels = dict(Collection.choices)
    channels = {str(labels.get(r["response__channel"], r["response__channel"])): r["n"] for r in per_channel}
    total = RateRow(
        "",
        sum(b.sampled for b in buildings),
        sum(b.handed for b in buildings),
        sum(b.returned for b in buildings),
    )
    return {"buildings": buildings, "channels": channels, "total": total}


# ---------------------------------------------------------------------------------------------
# S9-S13: statistics


def _level_counts():
    return {
        rules.LEVEL_KEYS[level]: Count("pk", filter=Q(level=level))
        for level in (
            Level.VERY_SATISFIED,
            Level.SATISFIED,
            Level.BASICALLY_SATISFIED,
            Level.DISSATISFIED,
            Level.NO_OPINION,
        )
    }


@dataclass
class ItemStats:
    code: str
    text: str
    counts: dict[str, int]

    @property
    def rate(self) -> Decimal | None:
        return rules.item_rate(self.counts)

    @property
    def satisfied(self) -> int:
        return sum(self.counts.get(k, 0) for k in rules.SATISFIED_KEYS)

    @property
    def blank(self) -> int:
        return self.counts.get("blank", 0)


@dataclass
class Stats:
    items: list[ItemStats] = field(default_factory=list)

    @property
    def overall(self) -> Decimal | None:
        return rules.overall_rate(i.rate for i in self.items)

    @property
    def qualified(self) -> bool | None:
        return rules.is_qualified(self.overall)

    def pareto(self) -> list[rules.ParetoRow]:
        return rules.pareto([(i.code, i.text, i.counts.get("dissatisfied", 0)) for i in self.items])

    def rate_of(self, code: str) -> Decimal | None:
        return next((i.rate for i in self.items if i.code == code), None)


def _answers(round_ids) -> QuerySet[Answer]:
    return Answer.objects.filter(
        response__sample_unit__round_id__in=round_ids,
        response__sample_unit__active=True,
        question__kind=QuestionKind.ITEM,
    )


def _stats_from_rows(rows, questions, key=None) -> dict:
    """rows: aggregate rows with question__code and the level counts; grouped by `key` if given."""
    grouped: dict = {}
    for row in rows:
        group = row[key] if key else None
        grouped.setdefault(group, {})[row["question__code"]] = row
    out = {}
    for group, by_code in grouped.items():
        stats = Stats()
        for code, text in questions:
            row = by_code.get(code, {})
            counts = {k: int(row.get(k) or 0) for k in rules.LEVEL_KEYS.values()}
            counts["blank"] = int(row.get("blank") or 0)
            stats.items.append(ItemStats(code, text, counts))
        out[group] = stats
    return out


def _item_questions(survey_round: SurveyRound) -> list[tuple[str, str]]:
    return list(
        survey_round.questionnaire.questions.filter(kind=QuestionKind.ITEM)
        .order_by("position")
        .values_list("code", "text")
    )


def round_statistics(survey_round: SurveyRound) -> dict:
    """S9-S13 for one round: the community, each building, and earlier rounds of the same community
    for comparison. Three aggregate queries whatever the number of answers."""
    questions = _item_questions(survey_round)
    counts = _level_counts()
    community_rows = _answers([survey_round.pk]).values("question__code").annotate(**counts)
    community = _stats_from_rows(community_rows, questions).get(None) or _stats_from_rows([], questions).get(None)
    community = community or Stats([ItemStats(c, t, dict.fromkeys(rules.LEVEL_KEYS.values(), 0)) for c, t in questions])
    building_rows = (
        _answers([survey_round.pk]).values("question__code", "response__sample_unit__building__name").annotate(**counts)
    )
    buildings = _stats_from_rows(building_rows, questions, key="response__sample_unit__building__name")
    earlier = list(
        SurveyRound.objects.filter(community=survey_round.community, statistics_at__isnull=False)
        .filter(Q(year__lt=survey_round.year) | Q(year=survey_round.year, half__lt=survey_round.half))
        .order_by("-year", "-half")[:3]
    )
    earlier_rows = (
        _answers([r.pk for r in earlier]).values("question__code", "response__sample_unit__round_id").annotate(**counts)
    )
    by_round = _stats_from_rows(earlier_rows, questions, key="response__sample_unit__round_id")
    comparison = [(r, by_round.get(r.pk, Stats())) for r in earlier]
    return {"community": community, "buildings": dict(sorted(buildings.items())), "earlier": comparison}


def company_statistics(company: Company, year: int, half: int) -> dict:
    """The company's statistics of a half year, every community at once, from ONE aggregate query
    grouped by community and item (pinned in the tests). Items are matched by their stable code."""
    rows = list(
        Answer.objects.filter(
            response__sample_unit__round__office__company=company,
            response__sample_unit__round__year=year,
            response__sample_unit__round__half=half,
            response__sample_unit__active=True,
            question__kind=QuestionKind.ITEM,
        )
        .values("response__sample_unit__round__community__name", "question__code")
        .annotate(text=Min("question__text"), **_level_counts())
        .order_by("response__sample_unit__round__community__name", "question__code")
    )
    questions = list(dict.fromkeys((r["question__code"], r["text"]) for r in rows))
    seen: dict[str, str] = {}
    for code, text in questions:
        seen.setdefault(code, text)
    questions = list(seen.items())
    communities = _stats_from_rows(rows, questions, key="response__sample_unit__round__community__name")
    total = {}
    for row in rows:
        t = total.setdefault(row["question__code"], {"question__code": row["question__code"]})
        for k in rules.LEVEL_KEYS.values():
            t[k] = t.get(k, 0) + row[k]
    company_stats = _stats_from_rows(total.values(), questions).get(None, Stats())
    return {"company": company_stats, "communities": dict(sorted(communities.items()))}


def comments(survey_round: SurveyRound) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(response__sample_unit__round=survey_round, response__sample_unit__active=True)
        .exclude(comment="")
        .select_related("question", "response__sample_unit__unit__building")
        .order_by("question__position", "pk")
    )


# ---------------------------------------------------------------------------------------------
# For other apps


def survey_deadlines_met(office: Office, year: int, month: int) -> dict[str, int]:
    """For inspections (Q1): the survey deadlines (S5, S7, S9, S15, S16, S19) of `office` that fell
    due in the month (Asia/Shanghai), counted: due, met on time, breached, still open. One query."""
    start = datetime.datetime(year, month, 1, tzinfo=SHANGHAI)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=SHANGHAI)
    return Deadline.objects.filter(
        office=office,
        subject_type=ContentType.objects.get_for_model(SurveyRound),
        rule__in=SURVEY_RULES,
        due_at__gte=start,
        due_at__lt=end,
    ).aggregate(
        due=Count("pk", filter=~Q(state=DeadlineState.CANCELLED)),
        met=Count("pk", filter=Q(state=DeadlineState.MET)),
        breached=Count("pk", filter=Q(state=DeadlineState.BREACHED)),
        open=Count("pk", filter=Q(state=DeadlineState.OPEN)),
    )


def open_letter_promises(user: User, *, state: str | None = None) -> QuerySet[OpenLetterPromise]:
    """Q3: each promise of an approved (or posted) open letter, with its state, in the user's offices."""
    qs = OpenLetterPromise.objects.filter(
        letter__state__in=(OpenLetter.State.APPROVED, OpenLetter.State.POSTED)
    ).select_related("letter__round__community", "letter__round__office")
    if state:
        qs = qs.filter(state=state)
    return scoped(qs, user).order_by("letter__round__office__name", "letter_id", "position")
