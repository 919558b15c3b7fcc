"""Celery tasks: thin adapters that call a service (STYLE.md). Scheduled in config/celery.py."""

from __future__ import annotations

from celery import shared_task

from .services import generate_due_archives, mirror_complaints


@shared_task(name="feedback.tasks.generate_monthly_archives")
def generate_monthly_archives() -> int:
    """F2: last month's draft archive for every office that lacks one (idempotent, catches up)."""
    return generate_due_archives()


@shared_task(name="feedback.tasks.mirror_complaints")
def mirror_complaints_task(full: bool = False) -> int:
    """F1: complaints logged through the complaints app's own intake stand in the register too."""
    return mirror_complaints(full=full)
