"""`make bench` (issue 10): PostgreSQL only. Migrates, seeds when the database has no scale data
(BENCH_SIZE, default large; BENCH_SEED), runs the scenarios, prints one table and writes it into
bench/RESULTS.md between the markers (the analysis around them is kept)."""

from __future__ import annotations

import os
import platform
import re
import sys
from pathlib import Path

MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"
RESULTS = Path(__file__).with_name("RESULTS.md")


def _machine() -> str:
    from django.db import connection

    cpu = "?"
    with open("/proc/cpuinfo") as f:  # noqa: PTH123
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo") as f:  # noqa: PTH123
        mem = f"{int(f.readline().split()[1]) // 1024 // 1024} GB"
    with connection.cursor() as c:
        c.execute("SHOW server_version")
        version = c.fetchone()[0]
        c.execute("SHOW jit")
        jit = c.fetchone()[0]
        c.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname IN "
            "('complaints_complaint', 'complaints_complaintevent', 'clock_deadline', 'estates_unit') ORDER BY relname"
        )
        sizes = ", ".join(f"{name} ≈{n:,}" for name, n in c.fetchall())
        c.execute("SELECT count(*) FROM clock_deadline WHERE closed_at IS NULL")
        live = c.fetchone()[0]
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores (shared), {mem} RAM, Python {platform.python_version()}, "
        f"PostgreSQL {version} (jit={jit} on the product's connections)\n\nData: {sizes}; {live:,} live deadlines."
    )


def _table(results) -> str:
    lines = [
        "| page or job | rows in play | median | p95 | queries | bare SQL, all | slowest | page ÷ SQL |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows = f"{r.rows:,}" if r.rows is not None else ""
        sql = f"{r.sql_ms:.1f} ms" if r.sql_ms else ""
        slowest = f"{r.slowest_ms:.1f} ms" if r.slowest_ms else ""
        ratio = f"{r.ratio:.1f}×" if r.ratio else ""
        cells = [r.name, rows, f"{r.median_ms:.0f} ms", f"{r.p95_ms:.0f} ms", str(r.queries), sql, slowest, ratio]
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines)


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not re.match(r"^(postgres|postgresql|pgsql)://", url):
        print("make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/dbname (a clean database).")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    # DEBUG off as in production, but static files unhashed (no collectstatic needed to render).
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    override_settings(STORAGES=storages).enable()

    from complaints.models import Complaint

    from .measure import measure
    from .scenarios import build

    call_command("migrate", verbosity=0)
    if not Complaint.objects.exists():
        size = os.environ.get("BENCH_SIZE", "large")
        print(f"No scale data: seed_scale --size {size} (BENCH_SIZE) …", flush=True)
        call_command("seed_scale", size=size, seed=int(os.environ.get("BENCH_SEED", "1")))
    results = []
    for scenario in build():
        if os.environ.get("BENCH_ONLY") and os.environ["BENCH_ONLY"] not in scenario.name:
            continue
        result = measure(scenario)
        results.append(result)
        print(f"{result.name}: {result.median_ms:.0f} ms, {result.queries} queries", flush=True)
    table = _table(results)
    print()
    print(table)
    block = f"{MARK_START}\n{_machine()}\n\n{table}\n{MARK_END}"
    text = RESULTS.read_text() if RESULTS.exists() else f"# Benchmark results\n\n{MARK_START}\n{MARK_END}\n"
    if MARK_START in text and MARK_END in text and not os.environ.get("BENCH_ONLY"):
        before, rest = text.split(MARK_START, 1)
        after = rest.split(MARK_END, 1)[1]
        RESULTS.write_text(before + block + after)
        print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
