"""The pure rules of QA inspections (RULES.md section Q). No database.

- `score_check`: the score of a check from its sections and item outcomes (Q1).
- periods: which monthly / quarterly checks must exist by now, catching up missed ones (Q1).
- `draw_sample`: the reproducible random sample of a call-back (Q1 spot check, Q2 verification).
- `callback_outcome`: what a call-back's answers mean (Q2).
- `deadline_plan`: the deadlines that must be live for a subject (Q4 the month's return visits);
  clock.deadlines.deadline_sync makes it so.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy

from clock.calendar import SHANGHAI
from clock.deadlines import DeadlineSpec, Measure

HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")

RULE_Q4 = "Q4"  # the month's repair return visits, within that month

OUTCOME_PASS = "pass"  # noqa: S105 (an outcome, not a password)
OUTCOME_FAIL = "fail"
OUTCOME_NA = "na"


# ---------------------------------------------------------------------------------------------
# Scoring (Q1)


@dataclass(frozen=True)
class ItemScore:
    """An item as scored: its points (the most it deducts), red line, outcome and deduction.
    `deduction` is None for the item's full points on a fail; a partial deduction may be smaller."""

    key: object
    points: Decimal
    outcome: str | None  # pass / fail / na; None = not scored yet
    red_line: bool = False
    deduction: Decimal | None = None


@dataclass(frozen=True)
class SectionScore:
    key: object
    weight: Decimal
    items: Sequence[ItemScore]


@dataclass
class Score:
    score: Decimal | None  # out of 100, two places; None when nothing applicable was scored
    passed: bool | None
    red_lines_failed: list[object] = field(default_factory=list)
    sections: dict[object, Decimal | None] = field(default_factory=dict)
    unscored: int = 0


def _deducted(item: ItemScore) -> Decimal:
    if item.outcome != OUTCOME_FAIL:
        return Decimal(0)
    if item.deduction is None:
        return item.points
    return min(max(item.deduction, Decimal(0)), item.points)


def section_score(section: SectionScore) -> Decimal | None:
    """A section out of 100: 100 × (applicable points − deductions) / applicable points. Items not
    applicable (N/A) and not yet scored are left out; a section with nothing applicable has no score."""
    applicable = [i for i in section.items if i.outcome in (OUTCOME_PASS, OUTCOME_FAIL)]
    possible = sum((i.points for i in applicable), Decimal(0))
    if possible <= 0:
        return None
    lost = sum((_deducted(i) for i in applicable), Decimal(0))
    return (HUNDRED * (possible - lost) / possible).quantize(TWO_PLACES, ROUND_HALF_UP)


def score_check(sections: Sequence[SectionScore], pass_mark: Decimal) -> Score:
    """Q1: the check's score is the weighted mean of its sections' scores (sections with no
    applicable item drop out, weights and all); a failed red-line item fails the whole check
    whatever the score; otherwise it passes at `pass_mark` or more."""
    result = Score(score=None, passed=None)
    total = Decimal(0)
    weights = Decimal(0)
    for section in sections:
        value = section_score(section)
        result.sections[section.key] = value
        result.unscored += sum(1 for i in section.items if i.outcome is None)
        result.red_lines_failed += [i.key for i in section.items if i.red_line and i.outcome == OUTCOME_FAIL]
        if value is not None and section.weight > 0:
            total += value * section.weight
            weights += section.weight
    if weights > 0:
        result.score = (total / weights).quantize(TWO_PLACES, ROUND_HALF_UP)
    if result.red_lines_failed:
        result.passed = False
    elif result.score is not None:
        result.passed = result.score >= pass_mark
    return result


# ---------------------------------------------------------------------------------------------
# Periods (Q1: one check per office per month; quarterly checks by the same machinery)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_start(kind: str, day: datetime.date) -> datetime.date:
    return quarter_start(day) if kind == "quarterly" else month_start(day)


def period_months(kind: str) -> int:
    return 3 if kind == "quarterly" else 1


def period_end(kind: str, start: datetime.date) -> datetime.date:
    """The first day after the period."""
    return add_months(start, period_months(kind))


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=SHANGHAI)


def period_bounds(kind: str, start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a period as aware datetimes in Shanghai time."""
    return local_midnight(start), local_midnight(period_end(kind, start))


def periods_due(kind: str, since: datetime.date, now: datetime.datetime) -> list[datetime.date]:
    """The periods from the one containing `since` up to the current one (Shanghai time): the
    checks that must exist by now. A missed run of the job is caught up by the next."""
    today = now.astimezone(SHANGHAI).date()
    current = period_start(kind, today)
    first = period_start(kind, since)
    found = []
    step = period_months(kind)
    while first <= current:
        found.append(first)
        first = add_months(first, step)
    return found


def previous_month(day: datetime.date) -> datetime.date:
    return add_months(month_start(day), -1)


# ---------------------------------------------------------------------------------------------
# Samples (Q1 spot check, Q2 verification)


def sample_seed(secret: str, office_id: int, month: datetime.date) -> str:
    """The seed of an office's month: reproducible by QA, not guessable by the office (keyed)."""
    message = f"{office_id}:{month:%Y-%m}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def draw_sample(candidates: Sequence[int], size: int, seed: str, salt: str = "") -> list[int]:
    """`size` ids out of `candidates`, the same for the same seed and candidates whatever their order."""
    pool = sorted(set(candidates))
    if size >= len(pool):
        return pool
    return sorted(random.Random(f"{seed}:{salt}").sample(pool, size))


def callback_outcome(*, kind: str, reached: bool, handled: bool | None, satisfied: bool | None) -> str:
    """Q2: a resident not reached is neither a pass nor a failure; a closed item not really handled,
    or a resident not satisfied, fails the verification."""
    if not reached:
        return "unreached"
    if satisfied is False:
        return "failed"
    if kind != "resident" and handled is False:
        return "failed"
    return "ok"


# ---------------------------------------------------------------------------------------------
# Deadlines


# The titles of our deadlines (clock.deadlines.register_rule, in apps.py), rendered in the reader's language.
RULE_TITLES = {RULE_Q4: gettext_lazy("Repair return visits of %(month)s")}


def repair_month_due(month: datetime.date) -> datetime.datetime:
    """Q4: the month's return visits are due within that month (24:00 on its last day)."""
    return local_midnight(add_months(month, 1))


def deadline_plan(subject, calendar=None) -> list[DeadlineSpec]:
    """What must be live for `subject` now. A repair month (Q4) with a repair not yet return-visited
    keeps its deadline (a fixed moment: the end of the month), answered by the office's customer
    affairs assistant, QA told of a breach. Once every repair is visited, nothing is planned."""
    if type(subject).__name__ == "RepairMonth":
        if subject.completed_at is not None:
            return []
        return [
            DeadlineSpec(
                rule=RULE_Q4,
                basis=repair_month_due(subject.month),
                measure=Measure.FIXED,
                amount=0,
                office=subject.office,
                company=None,
                responsible_user_id=None,
                responsible_department_id=None,
                responsible_role="cs_assistant",
                escalate_roles=("qa_staff",),
                params={"month": f"{subject.month:%Y-%m}"},
                link="/inspections/repairs/?month=" + f"{subject.month:%Y-%m}",
            )
        ]
    return []
