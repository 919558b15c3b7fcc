"""Celery tasks of the survey procedure: thin adapters over services (STYLE.md 8), scheduled in
config/celery.py. Deadlines (S5-S19) need no task of ours: the clock's sweeper enforces them."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="surveys.tasks.remind_half_year_rounds")
def remind_half_year_rounds() -> int:
    """S2: remind offices of communities without a survey round this half year (idempotent)."""
    sent = services.plans.half_year_reminders()
    if sent:
        logger.info("S2: %s half-year survey reminders", sent)
    return sent
