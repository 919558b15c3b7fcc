"""Celery tasks of the clock: thin adapters over services (STYLE.md). Scheduled in config/celery.py.

The sweep does not send emails itself: `send_notifications` runs every minute on its own, so a slow
or unreachable mail server never delays flagging a breach, and an email failure never rolls back a
flag. The in-app notification exists as soon as the sweep commits; its email follows within a minute.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from estates.models import Company, Role

from .notifications import EMAIL_BATCH
from .services import notify, send_pending_emails, users_for_role
from .sweeper import sweep
from .worktime import uncovered_year

logger = logging.getLogger(__name__)


@shared_task(name="clock.tasks.sweep_deadlines")
def sweep_deadlines() -> dict[str, int]:
    result = sweep()
    if result.warned or result.breached:
        logger.info("sweep: %s warned, %s breached", result.warned, result.breached)
    return {"warned": result.warned, "breached": result.breached}


# One run sends batch after batch until the outbox is empty or this much time has passed (beat starts the
# next run a minute later): hundreds of breach emails leave within the minute they are due.
SEND_BUDGET_SECONDS = 50


@shared_task(name="clock.tasks.send_notifications")
def send_notifications() -> int:
    started = time.monotonic()
    total = 0
    while time.monotonic() - started < SEND_BUDGET_SECONDS:
        sent = send_pending_emails()
        total += sent
        if sent < EMAIL_BATCH:
            break
    return total


def calendar_coverage_notify(today=None) -> int | None:
    """Warn every active company admin, once per year (the notification key), that the holidays of
    `year` are not entered and deadlines on its days are provisional. Returns the year or None."""
    today = today or timezone.localdate()
    year = uncovered_year(today)
    if year is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Enter the holidays of %(year)s") % {"year": year}
        body = _(
            "The working-time calendar does not know the State Council holiday arrangement of %(year)s yet. "
            "Until it is entered, deadlines on days of %(year)s skip only weekends and 1 Jan, 1-2 May and 1-3 Oct, "
            "and are marked provisional. Enter the arrangement on the calendar page."
        ) % {"year": year}
        for company in Company.objects.all():
            notify(
                recipients=users_for_role(role=Role.COMPANY_ADMIN, company=company),
                key=f"calendar:uncovered:{year}",
                title=title,
                body=body,
                link=reverse("clock:overview"),
            )
    return year


@shared_task(name="clock.tasks.check_calendar_coverage")
def check_calendar_coverage() -> int | None:
    return calendar_coverage_notify()
