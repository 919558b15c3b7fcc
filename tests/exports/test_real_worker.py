"""A background export through a real Celery worker on Redis and PostgreSQL (issue 10): the task is
found by name, takes the job id, builds once however often it is delivered, and the user is told."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from clock.models import Notification
from exports.models import ExportJob, ExportState
from exports.registry import dump
from exports.services import fingerprint
from tests.clock.test_concurrency import _database_url, _needs_postgresql, _wait_for
from tests.factories import ComplaintFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_builds_a_background_export_once_and_tells_the_user(office_a, frontdesk_a, tmp_path):
    _needs_postgresql()
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL=redis://...)")
    from complaints.selectors import Filters
    from config.celery import app

    ComplaintFactory.create_batch(3, office=office_a, received_by=frontdesk_a)
    params = dump(Filters())
    job = ExportJob.objects.create(
        user=frontdesk_a,
        kind="complaints.work_log",
        params=params,
        fingerprint=fingerprint("complaints.work_log", params),
        created_at=timezone.now(),
    )
    queue = f"test-exports-{uuid.uuid4().hex[:12]}"
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
            [str(celery), "-A", "config", "worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # Delivered twice (a redelivery, beat's re-queue): claimed once.
        app.send_task("exports.tasks.build_export", args=[job.pk], queue=queue)
        app.send_task("exports.tasks.build_export", args=[job.pk], queue=queue)
        done = _wait_for(lambda: ExportJob.objects.filter(pk=job.pk, state=ExportState.DONE).exists(), 60, worker)
        assert done, log_path.read_text()[-4000:]
        finished = _wait_for(lambda: log_path.read_text().count("succeeded") >= 2, 30, worker)
        assert finished, log_path.read_text()[-4000:]
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
    job.refresh_from_db()
    assert job.attempts == 1 and job.file
    notes = Notification.objects.filter(recipient=frontdesk_a, key=f"export:{job.token}:done")
    assert notes.count() == 1 and notes.get().link.endswith(f"/exports/{job.token}/")
