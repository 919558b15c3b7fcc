"""The pure rules of the satisfaction survey (RULES.md section S). No database.

Fixed by name and meaning (issue 12), because other tools call them:
- `sample_size(policy, *, occupied_units, households, occupied_since, on) -> int` (S3)
- `item_rate(counts) -> Decimal | None` (S10)
- `overall_rate(rates) -> Decimal | None` (S11)
"""

from __future__ import annotations

import calendar
import datetime
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from clock.calendar import SHANGHAI
from clock.deadlines import DeadlineSpec, Measure
from estates.models import Role


def period_text(year: int, half: int) -> str:
    """S2: a half year, "2026 上半年", in the active language."""
    from django.utils.translation import gettext

    if half == 1:
        return gettext("%(year)s first half") % {"year": year}
    return gettext("%(year)s second half") % {"year": year}


def stored_period_text(year: int, half: int) -> str:
    """The period in the product's language, for stored parameters (deadline and notification
    titles are rendered later, but the period is a value, not a msgid)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return period_text(year, half)


# ---------------------------------------------------------------------------------------------
# S3: how many units get a form

POLICY_OCCUPANCY_AGE = "occupancy-age"
POLICY_COVERAGE = "coverage"


class SamplePolicy(models.TextChoices):
    OCCUPANCY_AGE = POLICY_OCCUPANCY_AGE, _("Occupancy age (15% from 5 years, 30% under 5 years)")
    COVERAGE = POLICY_COVERAGE, _("Coverage (85% each round, every unit within a year; under 300 households: 100%)")


OLD_COMMUNITY_YEARS = 5
OLD_COMMUNITY_PERCENT = 15
NEW_COMMUNITY_PERCENT = 30
COVERAGE_PERCENT = 85
SMALL_COMMUNITY_HOUSEHOLDS = 300


def whole_years(since: datetime.date, on: datetime.date) -> int:
    """Whole years from `since` to `on` (an anniversary counts on its day; 29 February on 1 March)."""
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return max(years, 0)


def _percent_up(count: int, percent: int) -> int:
    # S3: percentages of occupied units round up to whole forms; integer arithmetic, no float error.
    return -(-count * percent // 100)


@dataclass(frozen=True)
class SampleSize:
    size: int
    percent: int
    reason: object  # a lazy translation: the rule that produced the number


def sample_size_info(
    policy: str, *, occupied_units: int, households: int, occupied_since: datetime.date, on: datetime.date
) -> SampleSize:
    """S3 with the rule that produced the number (shown next to it on the plan)."""
    if occupied_units < 0 or households < 0:
        raise ValueError("occupied_units and households must not be negative")
    if policy == POLICY_OCCUPANCY_AGE:
        years = whole_years(occupied_since, on)
        if years >= OLD_COMMUNITY_YEARS:
            reason = _("Occupied 5 years or more on the draw day: 15% of occupied units, rounded up (S3).")
            return SampleSize(_percent_up(occupied_units, OLD_COMMUNITY_PERCENT), OLD_COMMUNITY_PERCENT, reason)
        reason = _("Occupied under 5 years on the draw day: 30% of occupied units, rounded up (S3).")
        return SampleSize(_percent_up(occupied_units, NEW_COMMUNITY_PERCENT), NEW_COMMUNITY_PERCENT, reason)
    if policy == POLICY_COVERAGE:
        if households < SMALL_COMMUNITY_HOUSEHOLDS:
            reason = _("Under 300 households: every occupied unit (S3).")
            return SampleSize(occupied_units, 100, reason)
        reason = _("Coverage: 85% of occupied units, rounded up (S3).")
        return SampleSize(_percent_up(occupied_units, COVERAGE_PERCENT), COVERAGE_PERCENT, reason)
    raise ValueError(f"unknown sample policy {policy!r}")


def sample_size(
    policy: str, *, occupied_units: int, households: int, occupied_since: datetime.date, on: datetime.date
) -> int:
    """S3: the number of forms. `policy` is "occupancy-age" (5 years or more from the occupancy date
    to the draw day `on`: 15%, under 5 years: 30%) or "coverage" (85%; under 300 households: 100%).
    Percentages are of the occupied units and round up."""
    return sample_size_info(
        policy, occupied_units=occupied_units, households=households, occupied_since=occupied_since, on=on
    ).size


# ---------------------------------------------------------------------------------------------
# S4: spread over buildings in proportion, largest remainder


def building_shares(size: int, occupied_by_building: Mapping[int, int]) -> dict[int, int]:
    """S4: every building its share of `size`, in proportion to its occupied units, by the largest
    remainder method (Hamilton). Ties of the remainder go to the larger building, then the lower key,
    so the split is reproducible. No building gets more than it has."""
    total = sum(occupied_by_building.values())
    if size <= 0 or total <= 0:
        return dict.fromkeys(occupied_by_building, 0)
    size = min(size, total)
    shares = {}
    remainders = []
    for key, count in occupied_by_building.items():
        whole, rest = divmod(size * count, total)
        shares[key] = whole
        remainders.append((-rest, -count, key))
    left = size - sum(shares.values())
    for _rest, _count, key in sorted(remainders)[:left]:
        shares[key] += 1
    return shares


def draw_sample(
    units_by_building: Mapping[int, Sequence[int]],
    size: int,
    seed: str,
    *,
    first: Iterable[int] = (),
) -> list[int]:
    """S4: a random sample of `size` unit ids spread over buildings by `building_shares`.
    Reproducible: the same units, size and seed give the same sample (the seed is recorded).
    `first` are taken before the others in each building (coverage: the units the year's first
    round missed, so every occupied unit is covered within the year)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not a secret
    priority = set(first)
    buildings = sorted(units_by_building)
    shares = building_shares(size, {b: len(units_by_building[b]) for b in buildings})
    chosen: list[int] = []
    for building in buildings:
        units = sorted(units_by_building[building])
        preferred = [u for u in units if u in priority]
        others = [u for u in units if u not in priority]
        rng.shuffle(preferred)
        rng.shuffle(others)
        chosen.extend((preferred + others)[: shares[building]])
    return chosen


def double_entry_pick(unit_ids: Sequence[int], percent: int, seed: str) -> list[int]:
    """The share of forms keyed twice (default 10%), rounded up, chosen with the round's seed."""
    count = -(-len(unit_ids) * percent // 100)
    rng = random.Random(f"{seed}:double")  # noqa: S311
    return sorted(rng.sample(sorted(unit_ids), min(count, len(unit_ids))))


# ---------------------------------------------------------------------------------------------
# S10-S12: satisfaction rates


class Level(models.IntegerChoices):
    """The answer levels of a satisfaction item; the numbers are the keys of paper entry."""

    VERY_SATISFIED = 1, _("Very satisfied")
    SATISFIED = 2, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 4, _("Dissatisfied")
    NO_OPINION = 5, _("No opinion")


LEVEL_KEYS = {
    Level.VERY_SATISFIED: "very_satisfied",
    Level.SATISFIED: "satisfied",
    Level.BASICALLY_SATISFIED: "basically_satisfied",
    Level.DISSATISFIED: "dissatisfied",
    Level.NO_OPINION: "no_opinion",
}
SATISFIED_KEYS = ("very_satisfied", "satisfied", "basically_satisfied")
QUALIFIED_PERCENT = Decimal("96")
CENT = Decimal("0.01")


def _two_places(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def item_rate(counts: Mapping[str, int]) -> Decimal | None:
    """S10: satisfied / (satisfied + dissatisfied) × 100, two decimals, half up. "Very satisfied",
    "satisfied" and "basically satisfied" count as satisfied; "no opinion" and blanks are left out.
    None when nothing was rated."""
    satisfied = sum(int(counts.get(key) or 0) for key in SATISFIED_KEYS)
    dissatisfied = int(counts.get("dissatisfied") or 0)
    rated = satisfied + dissatisfied
    if rated == 0:
        return None
    return _two_places(Decimal(satisfied * 100) / Decimal(rated))


def overall_rate(rates: Iterable[Decimal | None]) -> Decimal | None:
    """S11: the arithmetic mean of the item rates, two decimals, half up; items with None left out.
    None when no item was rated."""
    given = [Decimal(r) for r in rates if r is not None]
    if not given:
        return None
    return _two_places(sum(given, Decimal(0)) / Decimal(len(given)))


def is_qualified(rate: Decimal | None) -> bool | None:
    """S12: overall satisfaction of 96% or more is service qualified (合格)."""
    return None if rate is None else rate >= QUALIFIED_PERCENT


def return_rate(returned: int, handed_out: int) -> Decimal | None:
    """S8: forms back / forms handed out, as a percentage with two decimals."""
    if handed_out <= 0:
        return None
    return _two_places(Decimal(returned * 100) / Decimal(handed_out))


def proxy_cap(sample: int, percent: Decimal | int) -> int:
    """Phone answers taken by staff (proxy answers) may be at most this many: `percent` of the sample,
    rounded down, so the share never exceeds the company's setting."""
    return int(Decimal(sample) * Decimal(percent) // Decimal(100))


@dataclass(frozen=True)
class ParetoRow:
    key: str
    label: str
    count: int
    percent: Decimal
    cumulative: Decimal


def pareto(dissatisfied: Sequence[tuple[str, str, int]]) -> list[ParetoRow]:
    """S13: dissatisfied answers by item, most first, with each item's share and the cumulative
    percentage (the last row is 100.00). Items with no dissatisfied answer are left out."""
    rows = sorted((r for r in dissatisfied if r[2] > 0), key=lambda r: (-r[2], r[0]))
    total = sum(r[2] for r in rows)
    out = []
    running = 0
    for key, label, count in rows:
        running += count
        out.append(
            ParetoRow(
                key,
                label,
                count,
                _two_places(Decimal(count * 100) / Decimal(total)),
                _two_places(Decimal(running * 100) / Decimal(total)),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Deadlines (S5, S7, S9, S15, S16, S19): a pure function of the round's state

RULE_S5 = "S5"
RULE_S7 = "S7"
RULE_S9 = "S9"
RULE_S15 = "S15"
RULE_S16 = "S16"
RULE_S19 = "S19"

HANDOUT_DAYS = 3  # S5
COLLECT_DAYS = 10  # S7
STATISTICS_DAYS = 3  # S9
LETTER_DAYS = 14  # S15
TO_QA_DAYS = 5  # S16

# Titles, rendered in the reader's language (registered with the clock in apps.py).
DEADLINE_TITLES = {
    RULE_S5: _("Hand out the survey forms of %(community)s %(period)s (S5)"),
    RULE_S7: _("Collect the survey forms of %(community)s %(period)s (S7)"),
    RULE_S9: _("Survey statistics of %(community)s %(period)s (S9)"),
    RULE_S15: _("Open letter of %(community)s %(period)s approved and posted (S15)"),
    RULE_S16: _("Statistics table and open letter of %(community)s %(period)s to QA (S16)"),
    RULE_S19: _("Survey results of %(community)s %(period)s on the notice board (S19)"),
}
# What a grouped notification of a burst of one rule in one office says (issue 9, clock.bursts):
# "科信管理处：3 个调查轮次超过 S5 发放问卷期限".
DEADLINE_NAMES = {
    RULE_S5: _("handing out the forms"),
    RULE_S7: _("collecting the forms"),
    RULE_S9: _("survey statistics"),
    RULE_S15: _("open letter approved and posted"),
    RULE_S16: _("table and open letter to QA"),
    RULE_S19: _("results on the notice board"),
}
ROUNDS_COUNTED = ngettext_lazy("%(count)d survey round", "%(count)d survey rounds", "count")
# The office's customer service supervisor answers; a breach tells the office manager and QA.
RESPONSIBLE_ROLE = Role.DEPT_MANAGER
ESCALATE_ROLES = (Role.OFFICE_MANAGER, Role.QA_STAFF)


def within_months(start: datetime.datetime, months: int) -> datetime.datetime:
    """S19 "within one month": 24:00 at the end of the same day `months` later (the month's last day
    when it has no such day: 31 January -> 28/29 February)."""
    local = start.astimezone(SHANGHAI).date()
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    end = datetime.date(year, month, day) + datetime.timedelta(days=1)
    return datetime.datetime.combine(end, datetime.time(0, 0), tzinfo=SHANGHAI)


def deadline_plan(survey_round, calendar=None) -> list[DeadlineSpec]:
    """Which deadlines must be live for `survey_round` as it is now (clock.deadlines.deadline_sync).
    Calendar days only ("within N days"; S19 "within a month" as a fixed moment), so `calendar` is
    not needed. A finished step plans nothing; the clock closes what is no longer planned."""
    r = survey_round
    base = {
        "office": r.office,
        "company": None,
        "responsible_user_id": None,
        "responsible_department_id": None,
        "responsible_role": RESPONSIBLE_ROLE,
        "escalate_roles": ESCALATE_ROLES,
        "params": {"community": r.community.name, "period": stored_period_text(r.year, r.half)},
        "link": f"/surveys/{r.pk}/",
    }

    def days(rule: str, basis: datetime.datetime, amount: int) -> DeadlineSpec:
        return DeadlineSpec(rule=rule, basis=basis, measure=Measure.WITHIN_DAYS, amount=amount, **base)

    plan: list[DeadlineSpec] = []
    if r.forms_received_at and not r.handout_done_at:
        plan.append(days(RULE_S5, r.forms_received_at, HANDOUT_DAYS))
    if r.handout_done_at and not r.closed_at:
        plan.append(days(RULE_S7, r.handout_done_at, COLLECT_DAYS))
    if r.closed_at:
        if not r.statistics_at:
            plan.append(days(RULE_S9, r.closed_at, STATISTICS_DAYS))
        if not r.letter_posted_at and not r.letter_waived:
            plan.append(days(RULE_S15, r.closed_at, LETTER_DAYS))
        if not r.results_posted_at:
            plan.append(
                DeadlineSpec(
                    rule=RULE_S19, basis=within_months(r.closed_at, 1), measure=Measure.FIXED, amount=0, **base
                )
            )
    if not r.sent_to_qa_at:
        # S16 runs from the letter's posting; with no letter needed, from the statistics.
        if r.letter_posted_at:
            plan.append(days(RULE_S16, r.letter_posted_at, TO_QA_DAYS))
        elif r.letter_waived and r.statistics_at:
            plan.append(days(RULE_S16, r.statistics_at, TO_QA_DAYS))
    return plan


def done_rules(survey_round) -> list[str]:
    """The rules whose step is done (closed as met when no longer planned; otherwise cancelled)."""
    r = survey_round
    steps = {
        RULE_S5: r.handout_done_at,
        RULE_S7: r.closed_at,
        RULE_S9: r.statistics_at,
        RULE_S15: r.letter_posted_at,
        RULE_S16: r.sent_to_qa_at,
        RULE_S19: r.results_posted_at,
    }
    return [rule for rule, at in steps.items() if at]


# ---------------------------------------------------------------------------------------------
# S2: a survey every half year

REMIND_FROM_MONTH = 3  # the third month of a half year without a round: remind the office


def half_year_to_remind(today: datetime.date) -> tuple[int, int] | None:
    """S2: from the third month of a half year (March, September) a community with no round for it is
    reminded; None before then."""
    half = 1 if today.month <= 6 else 2
    month_in_half = today.month - (0 if half == 1 else 6)
    return (today.year, half) if month_in_half >= REMIND_FROM_MONTH else None
