"""The pure rules of section F."""

from __future__ import annotations

import datetime

from feedback import rules
from tests.feedback.conftest import SH


def test_f2_pareto_orders_by_count_with_cumulative_percent():
    rows = rules.pareto([("停车", 3), ("维修", 5), ("保安", 1), ("绿化", 0)])
    assert [r["label"] for r in rows] == ["维修", "停车", "保安"]
    assert [r["cumulative"] for r in rows] == [55.6, 88.9, 100.0]


def test_f2_months_between_catches_up():
    assert rules.months_between(datetime.date(2025, 11, 1), datetime.date(2026, 2, 1)) == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]


def test_f2_last_finished_month_is_in_shanghai_time():
    # 1 March 00:30 in Shanghai is still 28 February in UTC.
    now = datetime.datetime(2026, 2, 28, 16, 30, tzinfo=datetime.UTC)
    assert rules.last_finished_month(now) == datetime.date(2026, 2, 1)


def test_f2_archive_due_ten_days_after_the_month():
    assert rules.archive_due(datetime.date(2026, 2, 1)) == datetime.datetime(2026, 3, 11, 0, 0, tzinfo=SH)


def test_f2_action_due_date_is_the_end_of_that_day():
    assert rules.end_of_day(datetime.date(2026, 3, 20)) == datetime.datetime(2026, 3, 21, 0, 0, tzinfo=SH)
