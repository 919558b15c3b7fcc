"""Survey submissions under load (issue 10): residents answering through their private links while
gunicorn serves the product as an office runs it (config/gunicorn.py: gthread workers, here 4 of
them), on 127.0.0.1, against the bench's database.

Set-up (not timed), through the product's services as an office does it: for the seeded company's
communities with the most occupied units, a round each — plan drafted by the customer service
supervisor, reviewed by an office manager, approved by a QA manager, sample drawn, forms received,
every sampled unit handed out by link — until BENCH_SURVEY_N links are out. One community is not
enough: the sample is what S3 says (15% or 30% of occupied units under the default policy, 85%
under coverage), 225–1,275 of a seeded community's 1,500 units. The seeded staff are in no role
group (no has_perm), so the reviewing office manager and the approving QA manager are made for the
run (`bench_load_…`) and removed with the rest.

The load is a second process (bench.load_client, standard library only): BENCH_SURVEY_CONCURRENCY
residents at a time, every link once, a few twice, no new resident after BENCH_SURVEY_CAP seconds.
Afterwards the database must hold exactly one response per thanked link with the answers sent, and
no request may have failed with a 5xx. Everything the run made is deleted; gunicorn is stopped
(its process group) whatever happens. The row: POST latency, median and p95.

Throttling: the answer page throttles a client address only for links that do not work (20 per 10
minutes, surveys.views.public); a good link is never counted, so the load from one address is not
slowed. The deliberate resubmits are counted as bad links (a used link): DOUBLES stays well under
the limit, and the run removes its own counter at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from estates.models import Company
from surveys.models import Answer

from .load_setup import LOOPBACK, Made, check, purge, setup
from .measure import Scenario, p95

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4
SCENARIO = "survey submission under load (gunicorn 4 workers, {concurrency} concurrent)"
ALONE = 50  # links answered first by one resident at a time (the uncontended cost, printed)
DOUBLES = 6  # of the N links, submitted twice: half again after the thanks page, half twice at the same moment


def _settings() -> tuple[int, int, float]:
    return (
        int(os.environ.get("BENCH_SURVEY_N", "2000")),
        int(os.environ.get("BENCH_SURVEY_CONCURRENCY", "16")),
        float(os.environ.get("BENCH_SURVEY_CAP", "180")),
    )


def survey_load(company: Company) -> Scenario:
    """The scenario; nothing is made before it runs (BENCH_ONLY may leave it out)."""
    _n, concurrency, _cap = _settings()
    holder: dict = {}
    return Scenario(
        SCENARIO.format(concurrency=concurrency),
        lambda: _run(company, holder),
        rows=lambda: holder.get("rows"),
        repeats=1,
        bare=False,
        warm=False,
    )


def _run(company: Company, holder: dict) -> dict:
    n, concurrency, cap = _settings()
    purge(company)
    made = Made(company)
    try:
        tokens = setup(company, n + ALONE + 1)
        queries = _queries_of_one_submission(tokens.pop())
        tokens, alone_tokens = tokens[:n], tokens[n : n + ALONE]
        with serve() as (base, log, pid):
            # First one resident at a time (what a submission costs uncontended), then the load.
            alone = run_client(base, alone_tokens, doubles=0, concurrency=1, cap=cap)
            cpu = (_cpu_s(pid), resource.getrusage(resource.RUSAGE_CHILDREN))
            time.sleep(0.5)  # the last access-log lines of the first part written
            mark = Path(log).stat().st_size
            out = run_client(base, tokens, doubles=DOUBLES, concurrency=concurrency, cap=cap)
            server_cpu = _cpu_s(pid) - cpu[0]
            client_cpu = _rusage_s(resource.getrusage(resource.RUSAGE_CHILDREN)) - _rusage_s(cpu[1])
            time.sleep(0.5)
            served = _served_ms(log, "POST", mark)
        report, alone_report = check(out, tokens), check(alone, alone_tokens)
        holder["rows"] = Answer.objects.count()
    finally:
        purge(company)
        made.undo()
    post, get = report["post_ms"], report["get_ms"]
    print(
        f"  one resident at a time, {alone_report['thanked']} links: POST median {_median(alone_report['post_ms']):.0f}"
        f" ms, p95 {p95(alone_report['post_ms']):.0f} ms; GET median {_median(alone_report['get_ms']):.0f} ms",
        flush=True,
    )
    print(
        f"  {report['thanked']:,} of {len(tokens):,} links submitted in {out['wall_s']:.1f} s "
        f"({report['per_s']:.1f} submissions/s, {concurrency} residents at a time"
        f"{', stopped by the time cap' if out['stopped_by_cap'] else ''}); "
        f"POST median {_median(post):.0f} ms, p95 {p95(post):.0f} ms; GET median {_median(get):.0f} ms, "
        f"p95 {p95(get):.0f} ms; 5xx: {report['5xx']}, other failures: {report['failed']}; "
        f"responses: {report['responses']:,} for {report['thanked']:,} thanked links "
        f"({report['doubles']} submitted twice, one response each); POST inside gunicorn (its access log): "
        f"median {_median(served):.0f} ms, p95 {p95(served):.0f} ms; CPU: gunicorn {server_cpu:.1f} s "
        f"({server_cpu * 1000 / max(1, report['thanked']):.0f} ms a submission, GET and POST), the client "
        f"{client_cpu:.1f} s, in {out['wall_s']:.1f} s on {os.cpu_count()} cores; load average {_loadavg()}",
        flush=True,
    )
    capped = f" of {len(tokens):,} (time cap)" if out["stopped_by_cap"] else ""
    note = (
        f"{report['thanked']:,}{capped} submitted, {report['per_s']:.1f}/s, {report['5xx']} 5xx, "
        f"{report['responses']:,} responses (one per link)"
    )
    problems = report["problems"] + alone_report["problems"]
    if not report["thanked"]:
        problems.append("no link was submitted")
    if problems:
        raise AssertionError("survey load: " + "; ".join(problems[:10]))
    return {
        "ms": out["wall_s"] * 1000,
        "statements": queries,
        "median_ms": _median(post),
        "p95_ms": p95(post),
        "name": f"{SCENARIO.format(concurrency=concurrency)}: {note}",
        "note": note,
    }


def _queries_of_one_submission(token: str) -> int:
    """The queries of one POST, counted in-process on the bench's connection (the Django test client;
    the form's fields read from the page)."""
    from .load_client import parse_form

    client = Client(REMOTE_ADDR=LOOPBACK)
    page = parse_form(client.get(f"/s/{token}/").content.decode())
    data = {name: values[0] for name, values in page.radios.items()}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"/s/{token}/", data)
    assert response.status_code == 200 and b"csrfmiddlewaretoken" not in response.content, response.status_code
    return len(captured.captured_queries)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@contextmanager
def serve(workers: int = WORKERS):
    """gunicorn with config/gunicorn.py on 127.0.0.1 and a free port, the bench's database and
    settings (config.settings.local, DEBUG off, static files unhashed: bench.server_settings). Yields
    the base URL and the access log's path once the login page answers 200 (and after one warm-up
    request per thread). Stopped (process group) on the way out; the log is kept only on failure."""
    port = _free_port()
    hosts = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.server_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": f"{hosts},{LOOPBACK}",
        "TINGJIAN_BIND": f"{LOOPBACK}:{port}",
        "TINGJIAN_WORKERS": str(workers),
    }
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
    proc = subprocess.Popen(  # noqa: S603 - fixed arguments, our own executable
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    ok = False
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}: see {log.name}")
            try:
                if _get(port, "/accounts/login/") == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s: see {log.name}")
            time.sleep(0.3)
        # Every worker's first request loads the URLconf and templates: not part of what is measured.
        warm = [threading.Thread(target=_get, args=(port, "/accounts/login/")) for _ in range(workers * 4)]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        yield f"http://{LOOPBACK}:{port}", log.name, proc.pid
        ok = True
    finally:
        _stop(proc)
        log.close()
        if ok:
            Path(log.name).unlink(missing_ok=True)
        else:
            print(f"  gunicorn's log kept: {log.name}", flush=True)


def _served_ms(log: str, method: str, start: int) -> list[float]:
    """The request times gunicorn logged (config/gunicorn.py's %(L)s) for `method` on answer links with
    status 200 from byte `start` of its log on (the load's part): the time inside a worker thread,
    without the wait for one. The log writes a link's token as [token] (common.log_redaction)."""
    pattern = re.compile(rf'"{method} /s/[^/ ]+/ HTTP/[\d.]+" 200 \S+ ([\d.]+)s')
    with open(log, encoding="utf-8", errors="replace") as f:  # noqa: PTH123
        f.seek(start)
        found = [m for m in map(pattern.search, f) if m]
    return [float(m.group(1)) * 1000 for m in found]


def _cpu_s(master: int) -> float:
    """User + system CPU seconds of gunicorn's master and workers (its children), from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        if int(fields[1]) == master or stat.parent.name == str(master):  # ppid, or the master itself
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def _rusage_s(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _stop(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)  # gunicorn's own session: the master and its workers
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_client(base: str, tokens: list[str], *, doubles: int, concurrency: int, cap: float) -> dict:
    """bench.load_client in its own process; its JSON."""
    job = {"base": base, "tokens": tokens, "doubles": doubles, "concurrency": concurrency, "cap": cap}
    done = subprocess.run(  # noqa: S603 - fixed arguments, our own executable
        [sys.executable, "-m", "bench.load_client"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=cap + 120,  # the cap stops new residents; each request has its own 30 s timeout
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.load_client failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
