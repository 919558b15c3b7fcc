"""Celery tasks of the exports: thin adapters that take ids and call a service (STYLE.md 8). The
housekeeping task is scheduled in config/celery.py; build_export is queued by
services.export_job_request once the request's transaction commits."""

from __future__ import annotations

from celery import shared_task

from .services import export_job_build, exports_expire, exports_requeue_stale


@shared_task(name="exports.tasks.build_export")
def build_export(job_id: int) -> str:
    return export_job_build(job_id=job_id)


@shared_task(name="exports.tasks.housekeeping")
def housekeeping() -> dict[str, int]:
    return {"expired": exports_expire(), "requeued": exports_requeue_stale()}
