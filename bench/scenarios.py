"""The scenarios of issue 10's table, on the data seed_scale wrote (the newest bench company)."""

from __future__ import annotations

import datetime
import statistics
import time
from contextlib import suppress

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clock.models import Deadline, DeadlineState
from common.keyset import encode_cursor
from complaints.models import Complaint, MonthlySummary
from complaints.reports import services as report_services
from complaints.rules import month_start
from complaints.selectors import Filters
from estates.models import Company, Department, DepartmentKind, Office, Role, User

from .load import survey_load
from .measure import Scenario
from .scenarios_register import register_and_survey_scenarios

PAGE = 25


class _Rollback(Exception):
    pass


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    return run


def _count(qs):
    return lambda: qs.count()


def build() -> list[Scenario]:
    company = Company.objects.filter(name__startswith="听见物业（规模测试").order_by("-pk").first()
    if company is None:
        raise SystemExit("No seed_scale data in this database: run manage.py seed_scale first.")
    office = Office.objects.filter(company=company).annotate(n=Count("complaints")).order_by("-n").first()
    qa = User.objects.get(company=company, role=Role.QA_STAFF)
    desk = User.objects.filter(company=company, role=Role.FRONT_DESK, offices=office).first()
    qa_client, desk_client = _client(qa), _client(desk)
    mine = Complaint.objects.filter(office__company=company)
    now = timezone.now()

    # Page 2000 by keyset: the cursor of the row ending page 1999 (found once, not timed).
    edge = mine.order_by("-received_at", "-id").values_list("received_at", "id")[PAGE * 1999 - 1 : PAGE * 1999]
    cursor = encode_cursor(list(edge[0])) if edge else ""
    detail = mine.filter(next_due_at__isnull=False).order_by("-pk").first() or mine.order_by("-pk").first()
    # Work-log exports of about 10,000 and 100,000 rows: the busiest office, back from the end. Above
    # TINGJIAN_EXPORT_INLINE_LIMIT the page only records a job, so what is timed is the job's build
    # (exports.services.export_job_build: query, workbook through a temporary file, storage, inbox).
    log_from = _log_start(mine.filter(office=office), 10_000)
    big_from = _log_start(mine.filter(office__company=company), 100_000)
    summary = _summary(company, office)
    scenarios = [
        Scenario("complaint list, QA, first page", _get(qa_client, "/complaints/"), _count(mine)),
        Scenario(
            "list, one office + state + text 漏水",
            _get(qa_client, f"/complaints/?office={office.pk}&state=closed&text=漏水"),
            _count(mine.filter(office=office, state="closed")),
        ),
        Scenario("list, page 2000", _get(qa_client, f"/complaints/?after={cursor}"), _count(mine)),
        Scenario(
            "list, overdue only (company)",
            _get(qa_client, "/complaints/?overdue=on"),
            _count(mine.filter(next_due_at__lte=now)),
        ),
        Scenario("list, sorted by next due (QA)", _get(qa_client, "/complaints/?sort=due"), _count(mine)),
        Scenario("text 漏水, company-wide", _get(qa_client, "/complaints/?text=漏水"), _count(mine)),
        Scenario("dashboard, QA", _get(qa_client, "/"), _count(_live(company))),
        Scenario("dashboard, front desk", _get(desk_client, "/"), _count(_live(company).filter(office=office))),
        Scenario("complaint page", _get(qa_client, f"/complaints/{detail.pk}/")),
        Scenario("work-log page", _get(qa_client, "/complaints/work-log/"), _count(mine)),
        Scenario(
            "work-log Excel (background build)",
            _export(qa, Filters(office=office.pk, date_from=log_from)),
            _count(mine.filter(office=office, received_at__gte=_day(log_from))),
            repeats=3,
            bare=False,
        ),
        Scenario(
            "work-log Excel, company (background build)",
            _export(qa, Filters(date_from=big_from)),
            _count(mine.filter(received_at__gte=_day(big_from))),
            repeats=1,
            bare=False,
        ),
    ]
    if summary is not None:
        scenarios.append(
            Scenario(
                "C14 page",
                _get(
                    _client(User.objects.get(company=company, role=Role.QA_MANAGER)),
                    f"/complaints/summaries/{summary.pk}/",
                ),
                lambda: len(summary.data.get("rows", [])),
            )
        )
        scenarios += _c14_generation(company, office)
    scenarios += register_and_survey_scenarios(company, _get, _client)
    scenarios += _sweeps(company, office)
    scenarios.append(survey_load(company))
    return scenarios


def _export(user: User, filters: Filters):
    """One background build of the work log, as the worker runs it (a new job each run); the stored
    file is deleted afterwards."""
    from django.core.files.storage import default_storage

    from complaints.reports.exports import WORK_LOG
    from exports.models import ExportJob
    from exports.registry import dump
    from exports.services import export_job_build, fingerprint

    def run():
        data = dump(filters)
        job = ExportJob.objects.create(
            user=user, kind=WORK_LOG, params=data, fingerprint=fingerprint(WORK_LOG, data), created_at=timezone.now()
        )
        state = export_job_build(job_id=job.pk)
        job.refresh_from_db()
        assert state == "done", state
        default_storage.delete(job.file)
        return job

    return run


def _day(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def _log_start(qs, rows: int) -> datetime.date:
    moments = qs.order_by("-received_at").values_list("received_at", flat=True)[rows - 1 : rows]
    return timezone.localtime(moments[0]).date() if moments else datetime.date(2000, 1, 1)


def _live(company):
    return Deadline.objects.filter(company=company, closed_at__isnull=True)


def _department(office) -> Department:
    return Department.objects.get(office=office, kind=DepartmentKind.CUSTOMER_SERVICE)


def _summary(company, office) -> MonthlySummary | None:
    department = _department(office)
    month = month_start(timezone.localdate().replace(day=1) - datetime.timedelta(days=1))
    with suppress(Exception):
        summary, _created = report_services.monthly_summary_generate(department=department, month=month)
        return summary
    return None


def _c14_generation(company, office) -> list[Scenario]:
    """C14 generation of one department's month: the last month (5 years of history before it) and
    the month one year after the data starts (1 year before it); rolled back each time."""
    department = _department(office)
    first = Complaint.objects.filter(office=office).order_by("received_at").values_list("received_at", flat=True)[0]
    early = month_start((timezone.localtime(first) + datetime.timedelta(days=366)).date())
    late = month_start(timezone.localdate().replace(day=1) - datetime.timedelta(days=1))

    def generate(month):
        def run():
            with suppress(_Rollback), transaction.atomic():
                MonthlySummary.objects.filter(department=department, month=month).delete()
                report_services.monthly_summary_generate(department=department, month=month)
                raise _Rollback

        return run

    return [
        Scenario(f"C14 generation, {late:%Y-%m} (all history before)", generate(late), repeats=3, bare=False),
        Scenario(f"C14 generation, {early:%Y-%m} (1 year before)", generate(early), repeats=3, bare=False),
    ]


def _sweeps(company, office) -> list[Scenario]:
    """The sweeper on n open deadlines come due (copies of a live one, rolled back after each run)."""
    from clock.sweeper import sweep

    template = Deadline.objects.filter(company=company, closed_at__isnull=True).order_by("pk").first()
    ct = ContentType.objects.get_for_model(Complaint)
    ids = list(Complaint.objects.filter(office=office).order_by("-pk").values_list("pk", flat=True)[:10_000])

    def run(n):
        def go():
            out = {}
            with suppress(_Rollback), transaction.atomic():
                now = timezone.now()
                rows = []
                for subject_id in ids[:n]:
                    d = Deadline(**{f.attname: getattr(template, f.attname) for f in Deadline._meta.concrete_fields})
                    d.pk = None
                    d.subject_type_id, d.subject_id, d.rule = ct.pk, subject_id, "BENCH"
                    d.state, d.closed_at, d.breached_at, d.warned_at = DeadlineState.OPEN, None, None, None
                    d.due_at = d.warn_at = now - datetime.timedelta(minutes=5)
                    rows.append(d)
                Deadline.objects.bulk_create(rows, batch_size=2000)
                counter = {"n": 0}
                with connection.execute_wrapper(_counter(counter)):
                    began = time.perf_counter()
                    sweep(now)
                    out["ms"] = (time.perf_counter() - began) * 1000
                out["statements"] = counter["n"]
                raise _Rollback
            return out

        return go

    return [
        Scenario("deadline sweep, 1,000 due", run(1000), lambda: 1000, repeats=3, bare=False),
        Scenario("deadline sweep, 10,000 due", run(10_000), lambda: 10_000, repeats=1, bare=False),
        *(_sweep_with_open(template, ct, ids[:1000], n) for n in (100_000, 1_000_000)),
    ]


# The sweeper's claim queries: what EXPLAIN must show them reading (index range scans on the partial
# indexes of open rows), whatever the number of open deadlines not yet due.
SWEEP_INDEXES = ("deadline_open_due_idx", "deadline_unwarned_idx")


def _sweep_with_open(template, ct, subject_ids: list[int], open_rows: int) -> Scenario:
    """A sweep of 1,000 due deadlines with `open_rows` open deadlines in the table (issue 10: sweep
    cost at 1M open ≤ 1.5× at 100k). The open ones not yet due are made in SQL (one INSERT … SELECT
    from generate_series, due 30–400 days ahead, warning time ahead too) and the table analysed, inside a
    transaction rolled back at the end; each repetition adds the 1,000 due rows in a savepoint, sweeps,
    and rolls the savepoint back. The median of the repetitions is the result; the claim queries'
    plans are checked and printed."""
    from clock.sweeper import sweep

    repeats = 5

    def go():
        timings, statements = [], 0
        with suppress(_Rollback), transaction.atomic():
            now = timezone.now()
            with connection.cursor() as c:
                c.execute("SELECT count(*) FROM clock_deadline WHERE state = 'open'")
                extra = max(0, open_rows - c.fetchone()[0])
                _insert_open(c, template, extra, now)
                c.execute("ANALYZE clock_deadline")
            for _ in range(repeats):
                with suppress(_Rollback), transaction.atomic():
                    _add_due(template, ct, subject_ids, now)
                    counter = {"n": 0}
                    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(_counter(counter)):
                        began = time.perf_counter()
                        result = sweep(now)
                        timings.append((time.perf_counter() - began) * 1000)
                    assert result.breached >= len(subject_ids), result  # and any live one come due meanwhile
                    statements = counter["n"]
                    plans = _claim_plans(captured.captured_queries)
                    raise _Rollback
            raise _Rollback
        for line in plans:
            print(f"  {open_rows:,} open: {line}", flush=True)
        return {"ms": statistics.median(timings), "statements": statements}

    return Scenario(
        f"deadline sweep, 1,000 due, {open_rows:,} open",
        go,
        lambda: open_rows,
        repeats=1,
        bare=False,
        warm=False,
    )


def _insert_open(cursor, template, n: int, now: datetime.datetime) -> None:
    """n open deadlines due 30–400 days after `now` (copies of `template`, their own subject ids)."""
    if n <= 0:
        return
    fields = [f for f in Deadline._meta.concrete_fields if not f.primary_key]
    override = {
        "subject_id": "2000000000 + g",
        "rule": "'BENCH-OPEN'",
        "state": "'open'",
        "closed_at": "NULL",
        "breached_at": "NULL",
        "warned_at": "NULL",
        "opened_at": "%(now)s",
        "due_at": "%(now)s + interval '30 days' + (g %% 370) * interval '1 day' + (g %% 86400) * interval '1 second'",
        "warn_at": "%(now)s + interval '20 days' + (g %% 370) * interval '1 day' + (g %% 86400) * interval '1 second'",
    }
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ", ".join(override.get(f.attname, f"t.{connection.ops.quote_name(f.column)}") for f in fields)
    cursor.execute(
        f"INSERT INTO clock_deadline ({columns}) SELECT {values} "  # noqa: S608 - names from model meta
        "FROM clock_deadline t CROSS JOIN generate_series(1, %(n)s) AS g WHERE t.id = %(id)s",
        {"now": now, "n": n, "id": template.pk},
    )


def _add_due(template, ct, subject_ids: list[int], now: datetime.datetime) -> None:
    rows = []
    for subject_id in subject_ids:
        d = Deadline(**{f.attname: getattr(template, f.attname) for f in Deadline._meta.concrete_fields})
        d.pk = None
        d.subject_type_id, d.subject_id, d.rule = ct.pk, subject_id, "BENCH"
        d.state, d.closed_at, d.breached_at, d.warned_at = DeadlineState.OPEN, None, None, None
        d.due_at = d.warn_at = now - datetime.timedelta(minutes=5)
        rows.append(d)
    Deadline.objects.bulk_create(rows, batch_size=2000)


def _claim_plans(queries) -> list[str]:
    """EXPLAIN of the sweep's claim queries on clock_deadline (FOR UPDATE … SKIP LOCKED): the scan
    nodes, which must be range scans of the open-rows partial indexes."""
    out: list[str] = []
    with connection.cursor() as c:
        for q in queries:
            sql = q["sql"]
            if "FOR UPDATE" not in sql or '"clock_deadline"' not in sql.split("WHERE", 1)[0]:
                continue
            c.execute("EXPLAIN " + sql)
            plan = [row[0].strip() for row in c.fetchall()]
            scans = [p.lstrip("-> ") for p in plan if "Scan" in p]
            ok = any(name in " ".join(scans) for name in SWEEP_INDEXES) and not any("Seq Scan" in s for s in scans)
            line = f"{'ok' if ok else 'NOT AN INDEX RANGE SCAN'}: {' / '.join(s.split('  (')[0] for s in scans)}"
            if line not in out:  # one line per distinct plan (the breach claim, the warning claim)
                out.append(line)
    return out


def _counter(holder):
    def wrapper(execute, sql, params, many, context):
        holder["n"] += 1
        return execute(sql, params, many, context)

    return wrapper
