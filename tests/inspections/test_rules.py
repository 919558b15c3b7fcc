"""Pure rules of QA inspections (Q1, Q2, Q4), no database."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from inspections import rules
from inspections.rules import ItemScore, SectionScore

SH = ZoneInfo("Asia/Shanghai")
D = Decimal


def _example(red_line_outcome: str) -> list[SectionScore]:
    return [
        SectionScore(
            key="A",
            weight=D(2),
            items=[
                ItemScore("a1", D(40), "pass"),
                ItemScore("a2", D(30), "fail"),  # full 30 deducted
                ItemScore("a3", D(30), "na"),  # left out of the section
            ],
        ),
        SectionScore(
            key="B",
            weight=D(1),
            items=[
                ItemScore("b1", D(50), "fail", deduction=D(10)),  # partial deduction
                ItemScore("b2", D(50), "pass"),
                ItemScore("b3", D(0), red_line_outcome, red_line=True),
            ],
        ),
        SectionScore(key="C", weight=D(1), items=[ItemScore("c1", D(100), "na")]),  # drops out, weight and all
    ]


def test_q1_score_hand_computed_with_na_and_red_line():
    # A: applicable 40 + 30 = 70, lost 30 -> 100 × 40 / 70 = 57.14
    # B: applicable 50 + 50 + 0 = 100, lost 10 -> 90.00
    # C: nothing applicable -> no score, its weight left out
    # check: (57.14 × 2 + 90.00 × 1) / (2 + 1) = 204.28 / 3 = 68.09
    passed = rules.score_check(_example("pass"), pass_mark=D(60))
    assert passed.sections == {"A": D("57.14"), "B": D("90.00"), "C": None}
    assert passed.score == D("68.09")
    assert passed.passed is True
    assert passed.red_lines_failed == []

    failed = rules.score_check(_example("fail"), pass_mark=D(60))
    # A failed red line fails the whole check whatever the score.
    assert failed.score == D("68.09")
    assert failed.passed is False
    assert failed.red_lines_failed == ["b3"]


def test_q1_score_below_pass_mark_fails_and_unscored_items_are_counted():
    sections = [SectionScore("A", D(1), [ItemScore("a", D(50), "fail"), ItemScore("b", D(50), None)])]
    score = rules.score_check(sections, pass_mark=D(85))
    assert score.score == D("0.00")
    assert score.passed is False
    assert score.unscored == 1


def test_q1_deduction_is_capped_at_the_items_points():
    section = SectionScore("A", D(1), [ItemScore("a", D(10), "fail", deduction=D(99)), ItemScore("b", D(10), "pass")])
    assert rules.section_score(section) == D("50.00")


def test_q1_periods_due_catch_up_missed_months_and_quarters():
    now = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=SH)
    assert rules.periods_due("monthly", datetime.date(2025, 12, 20), now) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
    ]
    assert rules.periods_due("quarterly", datetime.date(2025, 8, 1), now) == [
        datetime.date(2025, 7, 1),
        datetime.date(2025, 10, 1),
        datetime.date(2026, 1, 1),
    ]


def test_q1_period_uses_shanghai_time():
    # 2026-02-28 17:00 UTC is 1 March 01:00 in Shanghai: March's check is due.
    now = datetime.datetime(2026, 2, 28, 17, 0, tzinfo=datetime.UTC)
    assert rules.periods_due("monthly", datetime.date(2026, 3, 1), now) == [datetime.date(2026, 3, 1)]
    start, end = rules.period_bounds("quarterly", datetime.date(2026, 1, 1))
    assert (start, end) == (
        datetime.datetime(2026, 1, 1, tzinfo=SH),
        datetime.datetime(2026, 4, 1, tzinfo=SH),
    )


def test_q2_sample_is_reproducible_and_keyed():
    seed = rules.sample_seed("secret", 7, datetime.date(2026, 2, 1))
    assert seed == rules.sample_seed("secret", 7, datetime.date(2026, 2, 1))
    assert seed != rules.sample_seed("other secret", 7, datetime.date(2026, 2, 1))
    ids = list(range(1, 101))
    first = rules.draw_sample(ids, 10, seed, "resident")
    assert first == rules.draw_sample(list(reversed(ids)), 10, seed, "resident")
    assert len(first) == 10 and set(first) <= set(ids)
    assert rules.draw_sample([3, 1], 10, seed) == [1, 3]


def test_q2_callback_outcome():
    assert rules.callback_outcome(kind="complaint", reached=False, handled=None, satisfied=None) == "unreached"
    assert rules.callback_outcome(kind="complaint", reached=True, handled=False, satisfied=True) == "failed"
    assert rules.callback_outcome(kind="complaint", reached=True, handled=True, satisfied=False) == "failed"
    assert rules.callback_outcome(kind="resident", reached=True, handled=None, satisfied=True) == "ok"


def test_q4_repair_month_due_at_the_end_of_that_month():
    assert rules.repair_month_due(datetime.date(2026, 2, 1)) == datetime.datetime(2026, 3, 1, tzinfo=SH)
    assert rules.repair_month_due(datetime.date(2026, 12, 1)) == datetime.datetime(2027, 1, 1, tzinfo=SH)
