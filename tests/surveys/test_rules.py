"""S3, S4, S10-S13 and the deadline plan, on hand-computed examples (no database)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from clock.deadlines import compute_due
from surveys import rules
from surveys.rules import item_rate, overall_rate, sample_size

SH = ZoneInfo("Asia/Shanghai")
D = datetime.date


# --- S3 -------------------------------------------------------------------------------------


def test_s3_occupancy_age_old_community_15_percent_rounded_up():
    # 588 occupied × 15% = 88.2 -> 89 forms
    n = sample_size(
        "occupancy-age", occupied_units=588, households=588, occupied_since=D(2016, 6, 18), on=D(2026, 3, 1)
    )
    assert n == 89


def test_s3_occupancy_age_new_community_30_percent_rounded_up():
    # 232 × 30% = 69.6 -> 70
    n = sample_size("occupancy-age", occupied_units=232, households=232, occupied_since=D(2023, 9, 1), on=D(2026, 3, 1))
    assert n == 70


def test_s3_five_years_counts_from_occupancy_date_to_the_draw_day():
    kw = {"occupied_units": 100, "households": 100, "occupied_since": D(2021, 6, 18)}
    assert sample_size("occupancy-age", on=D(2026, 6, 17), **kw) == 30  # 4 years 364 days
    assert sample_size("occupancy-age", on=D(2026, 6, 18), **kw) == 15  # the fifth anniversary


def test_s3_exact_percentages_do_not_round_up_further():
    # 200 × 15% = 30 exactly; 20 × 85% = 17 exactly
    assert (
        sample_size("occupancy-age", occupied_units=200, households=200, occupied_since=D(2000, 1, 1), on=D(2026, 1, 1))
        == 30
    )
    assert (
        sample_size("coverage", occupied_units=400, households=400, occupied_since=D(2000, 1, 1), on=D(2026, 1, 1))
        == 340
    )


def test_s3_coverage_85_percent_rounded_up():
    # 588 × 85% = 499.8 -> 500
    assert (
        sample_size("coverage", occupied_units=588, households=588, occupied_since=D(2016, 1, 1), on=D(2026, 1, 1))
        == 500
    )


def test_s3_coverage_under_300_households_is_every_occupied_unit():
    assert (
        sample_size("coverage", occupied_units=232, households=299, occupied_since=D(2016, 1, 1), on=D(2026, 1, 1))
        == 232
    )
    # 300 households is not "under 300": 85% of 300 = 255
    assert (
        sample_size("coverage", occupied_units=300, households=300, occupied_since=D(2016, 1, 1), on=D(2026, 1, 1))
        == 255
    )


def test_s3_counts_occupied_units_not_households_for_the_percentage():
    # households decide the under-300 test, occupied units the number: 350 households, 120 occupied
    assert (
        sample_size("coverage", occupied_units=120, households=350, occupied_since=D(2016, 1, 1), on=D(2026, 1, 1))
        == 102
    )


def test_s3_unknown_policy_is_refused():
    with pytest.raises(ValueError):
        sample_size("half", occupied_units=1, households=1, occupied_since=D(2016, 1, 1), on=D(2026, 1, 1))


def test_s3_info_names_the_rule():
    info = rules.sample_size_info(
        "coverage", occupied_units=10, households=10, occupied_since=D(2020, 1, 1), on=D(2026, 1, 1)
    )
    assert (info.size, info.percent) == (10, 100)
    assert "300" in str(info.reason)


# --- S4 -------------------------------------------------------------------------------------


def test_s4_building_shares_largest_remainder():
    # 10 forms over 3 buildings of 50, 30, 20: quotas 5, 3, 2 exactly
    assert rules.building_shares(10, {1: 50, 2: 30, 3: 20}) == {1: 5, 2: 3, 3: 2}
    # 7 forms over 40, 35, 25 (=100): quotas 2.8, 2.45, 1.75 -> floors 2,2,1 (5); remainders .8, .75, .45
    assert rules.building_shares(7, {1: 40, 2: 35, 3: 25}) == {1: 3, 2: 2, 3: 2}


def test_s4_every_building_gets_its_share_and_the_sum_is_the_size():
    shares = rules.building_shares(89, dict.fromkeys(range(1, 7), 98))
    assert sum(shares.values()) == 89
    assert sorted(shares.values()) == [14, 15, 15, 15, 15, 15]


def test_s4_never_more_than_the_building_has():
    assert rules.building_shares(50, {1: 3, 2: 2}) == {1: 3, 2: 2}


# --- S10 / S11 / S12 ------------------------------------------------------------------------


def test_s10_item_rate_counts_three_levels_as_satisfied():
    # (10 + 20 + 5) / (35 + 5) = 87.5
    counts = {"very_satisfied": 10, "satisfied": 20, "basically_satisfied": 5, "dissatisfied": 5, "no_opinion": 7}
    assert item_rate(counts) == Decimal("87.50")


def test_s10_no_opinion_and_blank_left_out():
    # 2 / 3 = 66.666… -> 66.67 ; no opinion does not count
    assert item_rate({"satisfied": 2, "dissatisfied": 1, "no_opinion": 40}) == Decimal("66.67")


def test_s10_rounds_half_up():
    assert item_rate({"satisfied": 13, "dissatisfied": 3}) == Decimal("81.25")  # 13/16 exact
    assert item_rate({"satisfied": 1, "dissatisfied": 199}) == Decimal("0.50")  # 1/200
    assert item_rate({"satisfied": 999, "dissatisfied": 601}) == Decimal("62.44")  # 62.4375
    assert item_rate({"satisfied": 1, "dissatisfied": 3199}) == Decimal("0.03")  # 0.03125
    # 1/800 = 0.125 -> 0.13 (half up, not the banker's 0.12)
    assert item_rate({"satisfied": 1, "dissatisfied": 799}) == Decimal("0.13")


def test_s10_no_opinion_only_item_is_none():
    assert item_rate({"no_opinion": 12}) is None
    assert item_rate({}) is None


def test_s11_overall_is_the_mean_of_item_rates_none_left_out():
    # (87.50 + 66.67 + 100.00) / 3 = 84.7233… -> 84.72 ; the no-opinion-only item is not a zero
    assert overall_rate([Decimal("87.50"), Decimal("66.67"), None, Decimal("100.00")]) == Decimal("84.72")
    # (96.25 + 95.00) / 2 = 95.625 -> 95.63 half up
    assert overall_rate([Decimal("96.25"), Decimal("95.00")]) == Decimal("95.63")
    assert overall_rate([None, None]) is None
    assert overall_rate([]) is None


def test_s12_qualified_from_96():
    assert rules.is_qualified(Decimal("96.00")) is True
    assert rules.is_qualified(Decimal("95.99")) is False
    assert rules.is_qualified(None) is None


def test_s8_return_rate_and_proxy_cap():
    assert rules.return_rate(68, 89) == Decimal("76.40")  # 76.404…
    assert rules.return_rate(0, 0) is None
    assert rules.proxy_cap(89, 5) == 4  # 4.45 rounded down
    assert rules.proxy_cap(100, Decimal("5")) == 5


def test_s13_pareto_sorted_with_cumulative_percent():
    rows = rules.pareto([("a", "A", 2), ("b", "B", 5), ("c", "C", 0), ("d", "D", 1)])
    assert [(r.key, r.count, r.percent, r.cumulative) for r in rows] == [
        ("b", 5, Decimal("62.50"), Decimal("62.50")),
        ("a", 2, Decimal("25.00"), Decimal("87.50")),
        ("d", 1, Decimal("12.50"), Decimal("100.00")),
    ]


# --- deadline plan (S5, S7, S9, S15, S16, S19) ----------------------------------------------


def _round(**kw):
    base = {
        "pk": 1,
        "office": None,
        "community": SimpleNamespace(name="科信小区"),
        "year": 2026,
        "half": 1,
        "forms_received_at": None,
        "handout_done_at": None,
        "closed_at": None,
        "statistics_at": None,
        "letter_posted_at": None,
        "letter_waived": False,
        "sent_to_qa_at": None,
        "results_posted_at": None,
    }
    base.update(kw)
    return SimpleNamespace(**base)


def _due(plan, rule):
    spec = {p.rule: p for p in plan}[rule]
    return compute_due(None, spec.basis, spec.measure, spec.amount)[0]


def test_s5_hand_out_within_3_days_of_receipt():
    received = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=SH)  # Monday
    plan = rules.deadline_plan(_round(forms_received_at=received))
    assert [p.rule for p in plan] == ["S5"]
    assert _due(plan, "S5") == datetime.datetime(2026, 3, 13, 0, 0, tzinfo=SH)  # Thursday 24:00


def test_s7_collect_within_10_days_of_hand_out():
    t = datetime.datetime(2026, 3, 12, 16, 0, tzinfo=SH)
    plan = rules.deadline_plan(_round(forms_received_at=t, handout_done_at=t))
    assert [p.rule for p in plan] == ["S7"]
    assert _due(plan, "S7") == datetime.datetime(2026, 3, 23, 0, 0, tzinfo=SH)


def test_s9_s15_s19_run_from_collection_closing():
    t = datetime.datetime(2026, 3, 31, 9, 0, tzinfo=SH)
    plan = rules.deadline_plan(_round(forms_received_at=t, handout_done_at=t, closed_at=t))
    assert {p.rule for p in plan} == {"S9", "S15", "S19"}
    assert _due(plan, "S9") == datetime.datetime(2026, 4, 4, 0, 0, tzinfo=SH)
    assert _due(plan, "S15") == datetime.datetime(2026, 4, 15, 0, 0, tzinfo=SH)
    # within one month of 31 March: 30 April 24:00
    assert _due(plan, "S19") == datetime.datetime(2026, 5, 1, 0, 0, tzinfo=SH)


def test_s16_runs_from_the_posting_and_a_finished_round_has_an_empty_plan():
    t = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=SH)
    posted = datetime.datetime(2026, 4, 10, 15, 0, tzinfo=SH)
    r = _round(forms_received_at=t, handout_done_at=t, closed_at=t, statistics_at=t, letter_posted_at=posted)
    plan = rules.deadline_plan(r)
    assert {p.rule for p in plan} == {"S16", "S19"}
    assert _due(plan, "S16") == datetime.datetime(2026, 4, 16, 0, 0, tzinfo=SH)
    r.sent_to_qa_at = posted
    r.results_posted_at = posted
    assert rules.deadline_plan(r) == []


def test_s19_within_a_month_clamps_to_the_month_end():
    start = datetime.datetime(2026, 1, 31, 10, 0, tzinfo=SH)
    assert rules.within_months(start, 1) == datetime.datetime(2026, 3, 1, 0, 0, tzinfo=SH)


def test_s4_draw_is_reproducible_and_proportional():
    units = {1: list(range(100, 150)), 2: list(range(200, 230)), 3: list(range(300, 320))}
    a = rules.draw_sample(units, 10, "abc")
    assert a == rules.draw_sample(units, 10, "abc")
    assert a != rules.draw_sample(units, 10, "abd")
    assert [sum(1 for u in a if u // 100 == b) for b in (1, 2, 3)] == [5, 3, 2]
    assert len(set(a)) == 10


def test_s3_coverage_second_round_takes_the_missed_units_first():
    units = {1: list(range(100, 120)), 2: list(range(200, 220))}
    first = rules.draw_sample(units, 34, "h1")  # 85% of 40
    missed = {u for b in units.values() for u in b} - set(first)
    second = rules.draw_sample(units, 34, "h2", first=missed)
    assert missed <= set(second)  # every occupied unit covered within the year
    assert set(first) | set(second) == {u for b in units.values() for u in b}


def test_double_entry_share_rounded_up_and_reproducible():
    picked = rules.double_entry_pick(list(range(89)), 10, "s")
    assert len(picked) == 9
    assert picked == rules.double_entry_pick(list(range(89)), 10, "s")
