"""Makes the clock's live deadlines of a subject match `rules.deadline_plan(subject)` (deadline core
v2). Called once at the end of every state change, in the same transaction."""

from __future__ import annotations

import datetime

from django.db import models

from clock.deadlines import compute_due, deadline_sync
from clock.selectors import load_calendar

from .rules import RULE_SERVICE, deadline_plan, deadlines_done


def sync(subject: models.Model) -> None:
    deadline_sync(subject, deadline_plan(subject), done=deadlines_done(subject))


def service_due(entry) -> datetime.datetime | None:
    """The F1 due time of a service request as the clock computes it (kept on the row for the list)."""
    specs = [spec for spec in deadline_plan(entry) if spec.rule == RULE_SERVICE]
    if not specs:
        return None
    spec = specs[0]
    return compute_due(load_calendar(), spec.basis, spec.measure, spec.amount)[0]
