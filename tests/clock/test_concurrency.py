"""Two sweeps at once on PostgreSQL, and a real Celery worker on Redis (foundation issue, section 8).
Both are skipped on the embedded SQLite leg and run on CI's PostgreSQL + Redis leg."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from clock import services
from clock.models import DeadlineEvent, EmailState, Notification
from clock.sweeper import sweep
from estates.models import Role
from tests.at_once import at_once
from tests.factories import UnitFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def _needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")


def _open_overdue(office, count: int, now: datetime.datetime) -> list:
    deadlines = []
    for _i in range(count):
        unit = UnitFactory(building__community__office=office)
        deadlines.append(
            services.deadline_open(
                subject=unit,
                rule="C3",
                title="首次回复",
                opened_at=now - datetime.timedelta(hours=10),
                due_at=now - datetime.timedelta(hours=1),
                office=office,
                responsible_role=Role.FRONT_DESK,
                escalate_roles=[Role.QA_STAFF],
            )
        )
    return deadlines


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_flag_and_notify_each_deadline_once(office_a, frontdesk_a, frontdesk_b, qa, caplog):
    _needs_postgresql()
    now = datetime.datetime.now(tz=datetime.UTC)
    deadlines = _open_overdue(office_a, 30, now)
    results = at_once(lambda: sweep(now), lambda: sweep(now))
    # The compare-and-set, not the unique constraint behind it, kept the second sweeper out.
    assert "already recorded" not in caplog.text
    assert sum(r.breached for r in results) == len(deadlines)
    assert DeadlineEvent.objects.filter(kind="breach").count() == len(deadlines)
    _one_message_counting_each_once(deadlines, ["frontdesk_a", "qa"])
    assert not Notification.objects.filter(recipient=frontdesk_b).exists()


def _one_message_counting_each_once(deadlines: list, usernames: list[str]) -> None:
    """Issue 9: one burst (C3, office A) is one message per recipient, counting every deadline once."""
    for username in usernames:
        [note] = Notification.objects.filter(recipient__username=username)
        assert note.message["burst"]["deadlines"] == sorted(d.pk for d in deadlines)
        assert f"{len(deadlines)} 件投诉超过 C3" in note.title


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_folding_the_same_burst_batch_by_batch_make_one_message_with_every_count(
    office_a, frontdesk_a, qa, monkeypatch
):
    """Both sweepers notify batches of 5 events of the same burst at the same time: each batch folds
    into the recipients' one message under the burst's lock, so none is written twice, none is lost,
    and no second message appears."""
    _needs_postgresql()
    from clock import sweeper

    monkeypatch.setattr(sweeper, "BATCH", 5)
    now = datetime.datetime.now(tz=datetime.UTC)
    deadlines = _open_overdue(office_a, 40, now)
    results = at_once(lambda: sweep(now), lambda: sweep(now), timeout=120)
    assert sum(r.breached for r in results) == 40
    assert not DeadlineEvent.objects.filter(notified_at__isnull=True).exists()
    _one_message_counting_each_once(deadlines, ["frontdesk_a", "qa"])


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


def _wait_for(predicate, timeout: float, worker: subprocess.Popen) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if worker.poll() is not None:
            return False
        time.sleep(0.5)
    return predicate()


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_celery_worker_on_redis_flags_a_breach_once(office_a, frontdesk_a, qa, tmp_path):
    _needs_postgresql()
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL=redis://...)")
    from config.celery import app

    deadline = _open_overdue(office_a, 1, datetime.datetime.now(tz=datetime.UTC))[0]
    queue = f"test-clock-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    log_path = tmp_path / "worker.log"
    celery = Path(sys.executable).with_name("celery")
    with open(log_path, "w") as log:
        worker = subprocess.Popen(  # noqa: S603 - fixed arguments, our own executable
            [
                str(celery),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    breach = Notification.objects.filter(deadline=deadline, event__kind="breach")
    try:
        app.send_task("clock.tasks.sweep_deadlines", queue=queue)
        app.send_task("clock.tasks.sweep_deadlines", queue=queue)
        arrived = _wait_for(lambda: breach.count() >= 2, 60, worker)
        assert arrived, log_path.read_text()[-4000:]
        # Let the second sweep finish too, then check nothing was doubled.
        app.send_task("clock.tasks.send_notifications", queue=queue)
        sent = _wait_for(lambda: not breach.exclude(email_state=EmailState.SENT).exists(), 60, worker)
        assert sent, log_path.read_text()[-4000:]
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
    assert DeadlineEvent.objects.filter(deadline=deadline, kind="breach").count() == 1
    rows = breach
    assert sorted(rows.values_list("recipient__username", flat=True)) == ["frontdesk_a", "qa"]
    assert Notification.objects.filter(deadline=deadline).count() == 2
    assert "succeeded" in log_path.read_text()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reschedule_racing_a_sweep_is_not_flagged(office_a, frontdesk_a):
    """Issue 6 section 5: the sweeper read the old due time (past), a reschedule to a future due time
    commits while the sweeper's update waits on the row: the compare-and-set on the value read
    (due_at = what it read, and <= now) changes nothing, so the deadline is not flagged."""
    _needs_postgresql()
    from clock.deadlines import DeadlineSpec, Measure, deadline_sync, register_rule
    from clock.selectors import subject_deadlines
    from clock.sweeper import breach_one

    register_rule("X9", "race %(n)s", app="tests.clock.race")
    now = datetime.datetime.now(tz=datetime.UTC)
    unit = UnitFactory(building__community__office=office_a)

    def plan(basis):
        return [
            DeadlineSpec(
                rule="X9",
                basis=basis,
                measure=Measure.WALL_HOURS,
                amount=1,
                office=office_a,
                company=None,
                responsible_user_id=None,
                responsible_department_id=None,
                responsible_role=Role.FRONT_DESK,
                escalate_roles=(),
                params={"n": 1},
            )
        ]

    deadline_sync(unit, plan(now - datetime.timedelta(hours=2)), now=now)  # due an hour ago
    deadline = subject_deadlines(unit).get()
    rescheduled, sweeping = threading.Event(), threading.Event()
    results, errors = [], []

    def reschedule() -> None:
        try:
            with transaction.atomic():
                deadline_sync(unit, plan(now), now=now)  # due in an hour; the row stays locked
                rescheduled.set()
                sweeping.wait(timeout=10)
                time.sleep(1.0)  # the sweeper's update is now waiting on our row lock
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def sweep_step() -> None:
        try:
            rescheduled.wait(timeout=10)
            sweeping.set()
            results.append(breach_one(now))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reschedule), threading.Thread(target=sweep_step)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert results == [0]  # it saw a candidate, and the compare-and-set refused it
    deadline.refresh_from_db()
    assert deadline.state == "open" and deadline.breached_at is None
    assert deadline.due_at == now + datetime.timedelta(hours=1)
    assert not DeadlineEvent.objects.filter(deadline=deadline).exists()
