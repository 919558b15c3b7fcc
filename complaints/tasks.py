"""Celery tasks of the complaint procedure: thin adapters over services (STYLE.md 8). Scheduled in
config/celery.py; each is idempotent and catches up, so hourly is enough and a missed run loses nothing."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import translation

from .reports import quarterly as report_quarterly
from .reports import services as report_services

logger = logging.getLogger(__name__)


@shared_task(name="complaints.tasks.generate_monthly_summaries")
def generate_monthly_summaries() -> int:
    """C14: last month's draft summary for every department that has one to make."""
    # Titles of deadlines and notifications are stored text: in the product's language.
    with translation.override(settings.LANGUAGE_CODE):
        made = report_services.monthly_summaries_generate()
    if made:
        logger.info("C14: %s monthly summaries generated", made)
    return made


@shared_task(name="complaints.tasks.generate_quarterly_analyses")
def generate_quarterly_analyses() -> int:
    """C15: last quarter's draft analysis for every company that has none."""
    with translation.override(settings.LANGUAGE_CODE):
        made = report_quarterly.quarterly_analyses_generate()
    if made:
        logger.info("C15: %s quarterly analyses generated", made)
    return made
