"""Writes of export jobs (issue 10): record a job, build it, expire it. Keyword-only and typed
(STYLE.md 2); the Celery tasks in tasks.py are thin adapters over these.

Privacy: a job's parameters may hold a searched name or phone, so nothing here logs them or sends them
to the queue (the task gets the job id), and a failure is logged by the exception's class only.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import re
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from clock.notifications import notify
from common.db import create_once

from .models import WAITING_STATES, ExportJob, ExportState
from .registry import ExportKind, dump, kind_for, load

logger = logging.getLogger(__name__)

# A worker that died mid-build leaves its job running: after this long another worker may take it over.
CLAIM_TIMEOUT = datetime.timedelta(minutes=30)
# A job still waiting this long lost its queue message (the broker was down when it was queued):
# the housekeeping task queues it again. Claiming is a compare-and-set, so a job is never built twice.
STALE_PENDING = datetime.timedelta(minutes=5)

READY_LINE = gettext_noop("Open this message to download it. The file is kept for %(days)s days.")
FAILED_LINE = gettext_noop("Nothing was lost. Please export again; if it fails again, tell your administrator.")

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def keep_days() -> int:
    return settings.TINGJIAN_EXPORT_KEEP_DAYS


def inline_limit() -> int:
    return settings.TINGJIAN_EXPORT_INLINE_LIMIT


def safe_filename(name: str) -> str:
    """A download name with no path, no control character and nothing a shell or Windows refuses; the
    Chinese stays (Content-Disposition carries it RFC 6266-encoded). Always ends in .xlsx."""
    name = _UNSAFE.sub("_", name).strip(" ._") or "export"
    stem = name[:-5] if name.lower().endswith(".xlsx") else name
    return stem[:120].rstrip(" .") + ".xlsx"


def fingerprint(kind: str, data: dict[str, Any]) -> str:
    canonical = json.dumps({"kind": kind, "params": data}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def export_job_request(*, user, kind: str, params: Any) -> tuple[ExportJob, bool]:
    """Record a background build of export `kind` with the validated `params` for `user`, and queue it
    once the request's transaction commits. The same export asked again while one is waiting answers
    that job (created False): a double click, a resubmit or two tabs make one job (the constraint
    export_job_one_waiting settles a race)."""
    kind_for(kind)  # an unknown kind is a programming error: fail here, not in the worker
    data = dump(params)
    fp = fingerprint(kind, data)
    waiting = ExportJob.objects.filter(user=user, fingerprint=fp, state__in=WAITING_STATES)
    existing = waiting.order_by("pk").first()
    if existing is not None:
        return existing, False
    job, created = create_once(
        lambda: ExportJob.objects.create(user=user, kind=kind, params=data, fingerprint=fp, created_at=timezone.now()),
        lambda: waiting.order_by("pk").first(),
    )
    if created:
        job_id = job.pk
        transaction.on_commit(lambda: queue_build(job_id))
    return job, created


def queue_build(job_id: int) -> None:
    """Queue the build. A broker that is down loses nothing: the job stays pending in the database and
    the housekeeping task queues it again (STALE_PENDING)."""
    from .tasks import build_export  # tasks import this module

    try:
        build_export.delay(job_id)
    except Exception as exc:  # noqa: BLE001 - any broker error; the job is safe in the database
        logger.warning("export job %s not queued (%s); housekeeping will retry", job_id, type(exc).__name__)


def _claim(job_id: int, now: datetime.datetime) -> bool:
    """Compare-and-set pending -> running (or take over a running job whose worker died)."""
    claimable = Q(state=ExportState.PENDING) | Q(state=ExportState.RUNNING, started_at__lt=now - CLAIM_TIMEOUT)
    return bool(
        ExportJob.objects.filter(claimable, pk=job_id).update(
            state=ExportState.RUNNING, started_at=now, attempts=F("attempts") + 1
        )
    )


def storage_name(job: ExportJob) -> str:
    # Under MEDIA_ROOT, which is never served directly: only exports.views.download reads it.
    return f"exports/{job.user_id}/{job.token}.xlsx"


def export_job_build(*, job_id: int, now: datetime.datetime | None = None) -> str:
    """Build one job: claim it, run its kind's builder with the stored filter and the requesting user (so
    the same office scope as the page), write the workbook to private storage, and tell the user in
    their inbox. A failing build marks only this job failed and tells its user. Answers the job's new
    state, or "" when there was nothing to do (already built, being built, or expired)."""
    now = now or timezone.now()
    if not _claim(job_id, now):
        return ""
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None:  # expired and deleted between the claim and now
        return ""
    kind: ExportKind | None = None
    try:
        kind = kind_for(job.kind)
        if not job.user.is_active:
            raise PermissionError("the user who asked is no longer active")
        with translation.override(job.user.language or settings.LANGUAGE_CODE), transaction.atomic():
            built = kind.build(load(kind.params, job.params), job.user)
            name = _save(job, built.workbook)
    except Exception as exc:  # noqa: BLE001 - one bad job never stops the others
        # The class only: an exception's text may quote a resident's name from the rows.
        logger.error("export job %s (%s) failed: %s", job.pk, job.kind, type(exc).__name__)
        _finish_failed(job, kind, type(exc).__name__)
        return ExportState.FAILED
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportState.DONE, file=name, filename=safe_filename(built.filename), finished_at=timezone.now()
        )
        notify(
            recipients=[job.user],
            key=f"export:{job.token}:done",
            title=gettext_noop("Your export is ready"),
            body=[
                (kind.title, {}),
                (READY_LINE, {"days": keep_days()}),
            ],
            link=reverse("exports:download", args=[job.token]),
            params={},
        )
    return ExportState.DONE


def _save(job: ExportJob, workbook) -> str:
    """The workbook into private storage, through a temporary file (memory stays flat: a write-only
    sheet spools its rows to disk, and the zip is written to disk too)."""
    name = storage_name(job)
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        if default_storage.exists(name):  # a build taken over from a dead worker
            default_storage.delete(name)
        return default_storage.save(name, File(spool, name=name))


def _finish_failed(job: ExportJob, kind: ExportKind | None, error: str) -> None:
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportState.FAILED, error=error[:200], finished_at=timezone.now()
        )
        if not job.user.is_active:
            return
        notify(
            recipients=[job.user],
            key=f"export:{job.token}:failed",
            title=gettext_noop("Your export could not be built"),
            body=[
                (kind.title if kind else gettext_noop("Excel export"), {}),
                (FAILED_LINE, {}),
            ],
            link=reverse("exports:download", args=[job.token]),
            params={},
        )


def exports_expire(*, now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Delete the files and jobs older than TINGJIAN_EXPORT_KEEP_DAYS (their links then say the export
    expired). Answers how many jobs were removed; a file that cannot be deleted is retried next time
    and does not stop the others."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=keep_days())
    removed = 0
    while True:
        jobs = list(ExportJob.objects.filter(created_at__lt=cutoff).order_by("pk").only("pk", "file")[:batch])
        if not jobs:
            return removed
        gone: list[int] = []
        for job in jobs:
            try:
                if job.file:
                    default_storage.delete(job.file)
            except Exception as exc:  # noqa: BLE001 - retried at the next run
                logger.warning("export job %s: file not deleted (%s)", job.pk, type(exc).__name__)
                continue
            gone.append(job.pk)
        ExportJob.objects.filter(pk__in=gone).delete()
        removed += len(gone)
        if len(gone) < len(jobs):
            return removed


def exports_requeue_stale(*, now: datetime.datetime | None = None) -> int:
    """Queue again the jobs whose message was lost (pending too long) or whose worker died (running past
    CLAIM_TIMEOUT). Answers how many were queued."""
    now = now or timezone.now()
    stale = ExportJob.objects.filter(
        Q(state=ExportState.PENDING, created_at__lt=now - STALE_PENDING)
        | Q(state=ExportState.RUNNING, started_at__lt=now - CLAIM_TIMEOUT)
    ).values_list("pk", flat=True)[:500]
    ids = list(stale)
    for job_id in ids:
        queue_build(job_id)
    return len(ids)
