"""How a scenario is measured: each run is timed with the queries it issued captured; then every
SELECT it issued is run bare (the raw DB-API cursor, no ORM, no template) in the same iteration —
"the same data fetched by its bare SQL" (issue 10) —, so the ratio page ÷ SQL holds on a noisy
machine. The slowest query's bare time is kept beside it. Median and p95 over the runs."""

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
    slowest_ms: float | None = None

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


def _is_read(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SELECT", "WITH"))


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank); 0 for no values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


def measure(s: Scenario) -> Result:
    if s.warm:
        s.run()  # warm the caches and the connection
    times, sqls, slowest, queries, own = [], [], [], 0, {}
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
        selects = [q["sql"] for q in captured.captured_queries if _is_read(q["sql"])]
        if s.bare and selects:
            bare = [_bare(sql) for sql in selects]
            sqls.append(sum(bare))
            slowest.append(max(bare))
    result = Result(
        name=s.name,
        rows=s.rows() if s.rows else None,
        median_ms=statistics.median(times),
        p95_ms=p95(times),
        queries=queries,
        sql_ms=statistics.median(sqls) if sqls else None,
        note=s.note,
        slowest_ms=statistics.median(slowest) if slowest else None,
    )
    if "median_ms" in own:  # a job that times many requests itself (bench.load): its figures, its label
        result.median_ms, result.p95_ms = own["median_ms"], own["p95_ms"]
        result.name, result.note = own.get("name", result.name), own.get("note", result.note)
    return result
