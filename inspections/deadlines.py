"""The one place inspections touches the clock: make the live deadlines of a subject match its plan
(rules.deadline_plan), in the caller's transaction. Called at the end of every state change.

Until the clock's deadline core v2 (`clock.deadlines.deadline_sync`) is on main this adapts the plan
to the v1 calls (open / reschedule / meet), with the same meaning: a deadline in the plan is open with
that due time; a live deadline not in the plan is finished.
"""

from __future__ import annotations

from django.db import models

from clock import services as clock
from estates.models import Office, User

from . import rules


def sync(subject: models.Model) -> None:
    plan = rules.deadline_plan(subject)
    wanted = {p.rule: p for p in plan}
    for deadline in clock.deadlines_for(subject).filter(closed_at__isnull=True):
        if deadline.rule not in wanted:
            clock.deadline_meet(deadline=deadline)
    for p in plan:
        live = clock.deadlines_for(subject).filter(rule=p.rule, closed_at__isnull=True).first()
        if live is not None:
            if live.due_at != p.due_at and live.state == "open":
                clock.deadline_reschedule(deadline=live, due_at=p.due_at)
            continue
        office = Office.objects.get(pk=p.office_id) if p.office_id else None
        clock.deadline_open(
            subject=subject,
            rule=p.rule,
            title=p.title,
            opened_at=min(p.basis, p.due_at),
            due_at=p.due_at,
            office=office,
            responsible_user=User.objects.get(pk=p.user_id) if p.user_id else None,
            responsible_role=p.role,
            escalate_roles=p.tell_roles,
            link=getattr(subject, "deadline_link", lambda: "")(),
        )
