"""The one place inspections touches the clock: make the live deadlines of a subject match its plan
(rules.deadline_plan) with clock.deadlines.deadline_sync, in the caller's transaction. Called once at
the end of every state change; a rule no longer planned because its work is done closes as met."""

from __future__ import annotations

from django.db import models

from clock.deadlines import deadline_sync

from . import rules

DONE_WHEN_UNPLANNED = (rules.RULE_Q4,)


def sync(subject: models.Model) -> None:
    deadline_sync(subject, rules.deadline_plan(subject), done=DONE_WHEN_UNPLANNED)
