"""How a scenario is measured: each run is timed with the queries it issued captured; its slowest
query is then run bare (the raw DB-API cursor, no ORM, no template) in the same iteration, so the
ratio page ÷ SQL holds on a noisy machine. Median and p95 over the runs."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Scenario:
    name: str
    run: Callable[[], object]
    rows: Callable[[], int] | None = None
    repeats: int = 7
    note: str = ""
    # Jobs whose cost is not one query (a sweep, an export): the ratio is left out.
    bare: bool = True
    # A run that sets itself up at great cost and repeats inside (the sweep at 1M open): no warm-up run.
    warm: bool = True


@dataclass
class Result:
    name: str
    rows: int | None
    median_ms: float
    p95_ms: float
    queries: int
    sql_ms: float | None
    note: str

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.sql_ms if self.sql_ms else None


def _bare(sql: str) -> float:
    raw = connection.cursor().cursor  # the psycopg2 cursor: no Django wrapper, no debug capture
    began = time.perf_counter()
    raw.execute(sql)
    if raw.description is not None:
        raw.fetchall()
    return (time.perf_counter() - began) * 1000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(s: Scenario) -> Result:
    if s.warm:
        s.run()  # warm the caches and the connection
    times, sqls, queries, own = [], [], 0, {}
    for _ in range(min(s.repeats, int(os.environ.get("BENCH_REPEATS", s.repeats)))):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            out = s.run()
            elapsed = (time.perf_counter() - began) * 1000
        queries = len(captured.captured_queries)
        if isinstance(out, dict):  # a job that times its own part (the sweep without its setup)
            elapsed = out.get("ms", elapsed)
            queries = out.get("statements", queries)
            own = out
        times.append(elapsed)
        if s.bare and captured.captured_queries:
            slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
            if slowest["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                sqls.append(_bare(slowest["sql"]))
    result = Result(
        name=s.name,
        rows=s.rows() if s.rows else None,
        median_ms=statistics.median(times),
        p95_ms=_p95(times),
        queries=queries,
        sql_ms=statistics.median(sqls) if sqls else None,
        note=s.note,
    )
    if "median_ms" in own:  # a job that times many requests itself (bench.load): its figures, its label
        result.median_ms, result.p95_ms = own["median_ms"], own["p95_ms"]
        result.name, result.note = own.get("name", result.name), own.get("note", result.note)
    return result
