"""Celery tasks of QA inspections: thin adapters over services (STYLE.md 8). Scheduled in
config/celery.py; idempotent and catching up, so hourly is enough and a missed run loses nothing."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import translation

from .services import checks

logger = logging.getLogger(__name__)


@shared_task(name="inspections.tasks.open_checks")
def open_checks() -> int:
    """Q1: this period's check (and any missed one) for every office and standard in use."""
    with translation.override(settings.LANGUAGE_CODE):
        made = checks.checks_open_due()
    if made:
        logger.info("Q1: %s checks opened", made)
    return made
