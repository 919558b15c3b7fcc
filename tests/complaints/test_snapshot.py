"""The C14/C15 snapshot schema (complaints.reports.snapshot): typed, versioned, stored as before."""

from __future__ import annotations

import datetime

import pytest

from complaints.reports.snapshot import (
    SNAPSHOT_VERSION,
    Group,
    MonthlyRow,
    MonthlySnapshot,
    QuarterlySnapshot,
    SnapshotVersionError,
)

UTC = datetime.UTC


def test_c14_snapshot_round_trips_and_keeps_the_stored_shape():
    received = datetime.datetime(2026, 1, 13, 2, 0, tzinfo=UTC)
    stored = {
        "period": {"start": "2026-01-01T00:00:00+08:00", "end": "2026-02-01T00:00:00+08:00"},
        "computed_at": "2026-02-01T00:05:00+00:00",
        "totals": {"received": 2, "complaints": 2, "suggestions": 0, "effective": 1, "invalid": 0, "c9": 0,
                   "carried_over": 0, "open_at_end": 1},
        "by_class": [[1, 1], [None, 1]],
        "compliance": {"met": 1, "late": 0, "pending": 1, "none": 0, "rate": 100.0},
        "rows": [{"id": 7, "number": "TS-2026-000007", "received_at": received.isoformat(), "class": 1,
                  "on_time": "yes", "c9": False}],
    }  # fmt: skip
    snap = MonthlySnapshot.from_json(stored)
    assert snap.version == SNAPSHOT_VERSION  # stored before the version was written (1): read as the current
    assert snap.by_class == (Group(1, 1), Group(None, 1))
    (row,) = snap.rows
    assert isinstance(row, MonthlyRow) and row.complaint_class == 1 and row.received_at == received
    again = snap.to_json()
    assert again["version"] == SNAPSHOT_VERSION
    assert again["rows"][0]["class"] == 1 and again["by_class"] == [[1, 1], [None, 1]]
    assert MonthlySnapshot.from_json(again) == snap


def test_c15_empty_snapshot_reads_as_zeroes():
    snap = QuarterlySnapshot.from_json({})
    assert snap.total == 0 and snap.pareto == () and snap.compliance.rate is None


def test_a_snapshot_from_a_newer_version_is_refused():
    with pytest.raises(SnapshotVersionError):
        MonthlySnapshot.from_json({"version": SNAPSHOT_VERSION + 1})
