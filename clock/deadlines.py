"""Deadline core v2: a subject declares which deadlines must be live, the clock makes it so.

A process app (complaints, the register, surveys, inspections) never opens or closes a deadline by
hand. It writes one pure function of its subject's state, `rules.deadline_plan(subject, calendar)`,
returning the deadlines that must be live *now*, and calls `deadline_sync` once at the end of every
state change, in the same transaction:

    from clock.deadlines import DeadlineSpec, Measure, deadline_sync, register_rule

    # apps.py, AppConfig.ready(): the title of each rule, rendered in the reader's language.
    register_rule("C3", _("First response to complaint %(number)s"), app="complaints")

    # rules.py (pure):
    def deadline_plan(complaint, calendar) -> list[DeadlineSpec]:
        if complaint.state != State.RECEIVED:
            return []
        return [
            DeadlineSpec(
                rule="C3",
                basis=complaint.received_at,
                measure=Measure.WORKING_HOURS,
                amount=8,
                office=complaint.office,
                company=None,
                responsible_user_id=None,
                responsible_department_id=None,
                responsible_role=Role.FRONT_DESK,
                escalate_roles=(Role.QA_STAFF,),
                params={"number": complaint.number},
                link=f"/complaints/{complaint.pk}/",
            )
        ]

    # services.py, inside the state change's transaction:
    deadline_sync(complaint, rules.deadline_plan(complaint, calendar), done=["C3"] if responded else ())

`deadline_sync` compares the plan with the subject's live deadlines (clock.selectors.live_subject_deadlines):
- planned and not live: opened (due time computed from basis, measure and amount on the calendar);
- live and planned with another basis, measure or amount: rescheduled (an open one keeps its row, its
  warning re-armed if the new warning time is ahead; a breached one stays breached, is closed, and a
  new one opens);
- live and planned for someone else (person, department, role or office): the old one is closed and a
  new one opens for the new party (C11 re-forwarded to another department);
- live and no longer planned: closed, as met when its rule is in `done`, cancelled otherwise; a
  breached one stays breached and gets closed_at (lateness is never forgotten).
A final state (closed, invalid) plans nothing, so every live deadline is closed. Syncing twice with
the same plan changes nothing.

Measures: WORKING_HOURS (working time of the calendar; provisional on a fallback day), WALL_HOURS,
WITHIN_DAYS ("within N days": 24:00 local at the end of the day N days after the basis day) and FIXED
(the basis is the due moment). Because the deadline stores its basis, `deadlines_recompute` redoes the
due and warning times after a calendar change (a year entered, a company day, the working periods)
and records the change on each moved deadline.

Subject hooks: a process app that keeps the next due time on its subject's row (the complaint list
filters and sorts by it, issue 10) registers `register_subject_hook(Model, hook)` in AppConfig.ready;
after every sync (and after a recompute moved one of its deadlines) the clock calls
`hook(subject, next_due_at)` with the earliest due time of the subject's live deadlines (None when none
is live), in the same transaction. A live breached deadline is always due in the past, so "overdue" is
`next_due_at <= now` and needs no write when the sweeper flags it. The clock imports no process app.

Who answers: a named user; else a department (its active department manager, or, if it has none, the
department-manager role holders of the office); else a role in the office (or the company, for a
deadline without an office). `escalate_roles` are told of a breach too.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from estates.models import Company, Office, Role

from .calendar import SHANGHAI, WorkCalendar, within_days
from .models import Deadline, DeadlineState, Measure
from .selectors import live_subject_deadlines, load_calendar, warn_fraction
from .subject_hooks import register_subject_hook, run_hook, run_hooks_for
from .titles import is_registered, register_rule, render_title

__all__ = [
    "DeadlineSpec",
    "register_subject_hook",
    "Measure",
    "compute_due",
    "deadline_sync",
    "deadlines_recompute",
    "register_rule",
]


@dataclass(frozen=True)
class DeadlineSpec:
    """One deadline a subject must have live now (see the module docstring).

    `provisional` (optional) says the plan's own choice rested on a provisional calendar day, e.g.
    C3 choosing 24 wall-clock hours because the receipt moment looked like non-working time on a
    fallback day: the deadline is then provisional whatever its measure."""

    rule: str
    basis: datetime.datetime
    measure: Measure
    amount: int
    office: Office | None
    company: Company | None
    responsible_user_id: int | None
    responsible_department_id: int | None
    responsible_role: str
    escalate_roles: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    provisional: bool = False


def compute_due(
    calendar: WorkCalendar | None, basis: datetime.datetime, measure: str, amount: int
) -> tuple[datetime.datetime, bool]:
    """The due time of a basis under a measure, and whether a provisional calendar day was used."""
    if measure == Measure.WORKING_HOURS:
        due = (calendar or WorkCalendar.default()).add_working_hours(basis, amount)
        return due.at, due.provisional
    if measure == Measure.WALL_HOURS:
        return basis + datetime.timedelta(hours=amount), False
    if measure == Measure.WITHIN_DAYS:
        return within_days(basis, amount), False
    if measure == Measure.FIXED:
        return basis, False
    raise ValueError(f"unknown measure {measure!r}")


def _warn_at(start: datetime.datetime, due_at: datetime.datetime, fraction: Decimal) -> datetime.datetime:
    if due_at <= start:
        return due_at
    return start + (due_at - start) * float(fraction)


def _check(spec: DeadlineSpec) -> None:
    if not is_registered(spec.rule):
        raise LookupError(f"deadline rule {spec.rule!r} is not registered (clock.deadlines.register_rule)")
    if spec.basis.tzinfo is None or spec.basis.utcoffset() is None:
        raise ValueError(f"{spec.rule}: the basis must be an aware datetime")
    if spec.measure not in Measure.values:
        raise ValueError(f"{spec.rule}: unknown measure {spec.measure!r}")
    if isinstance(spec.amount, bool) or not isinstance(spec.amount, int) or spec.amount < 0:
        raise ValueError(f"{spec.rule}: the amount is a whole number, 0 or more")
    if spec.measure == Measure.FIXED and spec.amount:
        raise ValueError(f"{spec.rule}: a fixed moment has amount 0")
    if not (spec.responsible_user_id or spec.responsible_department_id or spec.responsible_role):
        raise ValidationError(_("A deadline needs a responsible person, department or role."))
    for role in (spec.responsible_role, *spec.escalate_roles):
        if role and role not in Role.values:
            raise ValidationError(_("Unknown role: %(role)s.") % {"role": role})
    if spec.office is None and spec.company is None:
        raise ValueError(f"{spec.rule}: a deadline without an office must name its company")
    json.dumps(spec.params)  # JSON-able, or a TypeError here rather than at save time


def _party(spec: DeadlineSpec) -> tuple:
    return (
        spec.office.pk if spec.office is not None else None,
        spec.responsible_user_id or None,
        spec.responsible_department_id or None,
        str(spec.responsible_role or ""),
    )


def _party_of(deadline: Deadline) -> tuple:
    return (
        deadline.office_id,
        deadline.responsible_user_id,
        deadline.responsible_department_id,
        deadline.responsible_role or "",
    )


def _title(spec: DeadlineSpec) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_title(spec.rule, spec.params)[:200]


class _Context:
    """What one sync or recompute loads at most once: the calendar and the warning fraction."""

    def __init__(self, calendar: WorkCalendar | None, now: datetime.datetime) -> None:
        self._calendar = calendar
        self._fraction: Decimal | None = None
        self.now = now

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = load_calendar()
        return self._calendar

    @property
    def fraction(self) -> Decimal:
        if self._fraction is None:
            self._fraction = warn_fraction()
        return self._fraction

    def due(self, spec_or_row: DeadlineSpec | Deadline) -> tuple[datetime.datetime, bool]:
        if isinstance(spec_or_row, DeadlineSpec):
            basis, measure, amount = spec_or_row.basis, spec_or_row.measure, spec_or_row.amount
            plan_provisional = spec_or_row.provisional
        else:
            basis, measure, amount = spec_or_row.basis_at, spec_or_row.measure, spec_or_row.amount
            # The plan's choice was provisional only while its basis day still is.
            plan_provisional = (
                spec_or_row.basis_provisional and self.calendar.day_info(basis.astimezone(SHANGHAI).date()).provisional
            )
        calendar = self.calendar if measure == Measure.WORKING_HOURS else None
        at, provisional = compute_due(calendar, basis, measure, amount)
        return at, provisional or plan_provisional

    def warn_at(
        self, measure: str, basis: datetime.datetime, opened_at: datetime.datetime, due_at: datetime.datetime
    ) -> datetime.datetime:
        start = opened_at if measure == Measure.FIXED else min(basis, due_at)
        return _warn_at(start, due_at, self.fraction)


def _open(subject: models.Model, spec: DeadlineSpec, ctx: _Context) -> Deadline:
    due_at, provisional = ctx.due(spec)
    company = spec.office.company if spec.office is not None else spec.company
    deadline = Deadline(
        office=spec.office,
        company=company,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        rule=spec.rule,
        title=_title(spec),
        params=dict(spec.params),
        basis_at=spec.basis,
        measure=spec.measure,
        amount=spec.amount,
        basis_provisional=spec.provisional,
        responsible_user_id=spec.responsible_user_id,
        responsible_department_id=spec.responsible_department_id,
        responsible_role=str(spec.responsible_role or ""),
        escalate_roles=list(dict.fromkeys(str(r) for r in spec.escalate_roles)),
        opened_at=ctx.now,
        due_at=due_at,
        warn_at=ctx.warn_at(spec.measure, spec.basis, ctx.now, due_at),
        provisional=provisional,
        link=spec.link[:300],
    )
    deadline.save()
    return deadline


def _close(deadline: Deadline, open_to: str, now: datetime.datetime) -> None:
    live = Deadline.objects.filter(pk=deadline.pk, closed_at__isnull=True)
    # open -> met/cancelled; a breached deadline stays breached but is closed. Each a compare-and-set:
    # the sweeper may flip open -> breached at the same moment.
    if not live.filter(state=DeadlineState.OPEN).update(state=open_to, closed_at=now):
        live.filter(state=DeadlineState.BREACHED).update(closed_at=now)


def _move(
    deadline: Deadline, ctx: _Context, *, due_at: datetime.datetime, provisional: bool, extra: dict[str, Any]
) -> bool:
    """Reschedule an open deadline with a compare-and-set on its state and due time: False if it was
    breached (or moved) meanwhile. Re-arms the warning when the new warning time is still ahead."""
    basis = extra.get("basis_at", deadline.basis_at) or deadline.opened_at
    measure = extra.get("measure", deadline.measure)
    warn_at = ctx.warn_at(measure, basis, deadline.opened_at, due_at)
    updates = {**extra, "due_at": due_at, "warn_at": warn_at, "provisional": provisional}
    if deadline.warned_at is not None and warn_at > ctx.now:
        updates["warned_at"] = None
    moved = Deadline.objects.filter(pk=deadline.pk, state=DeadlineState.OPEN, due_at=deadline.due_at).update(**updates)
    # Re-armed: the next warning is a new event (events are unique per due time), notified anew.
    return bool(moved)


def deadline_sync(
    subject: models.Model,
    plan: Iterable[DeadlineSpec],
    *,
    done: Iterable[str] = (),
    now: datetime.datetime | None = None,
    calendar: WorkCalendar | None = None,
    reason: str = "",
) -> None:
    """Make the subject's live deadlines what `plan` says (see the module docstring). Runs in the
    caller's transaction (a savepoint here); idempotent. `calendar`, if given, saves loading it.
    `reason` (a calendar change re-planning the subject) is recorded on every deadline it moves."""
    if subject.pk is None:
        raise ValueError("deadline_sync needs a saved subject")
    now = now or timezone.now()
    specs: dict[str, DeadlineSpec] = {}
    for spec in plan:
        _check(spec)
        if spec.rule in specs:
            raise ValueError(f"the plan names rule {spec.rule!r} twice")
        specs[spec.rule] = spec
    done = set(done)
    ctx = _Context(calendar, now)
    with transaction.atomic():
        live: dict[str, Deadline] = {}
        for deadline in live_subject_deadlines(subject).select_for_update().order_by("pk"):
            if deadline.rule in live:  # never expected (unique constraint); close the extra one
                _close(deadline, DeadlineState.CANCELLED, now)
                continue
            live[deadline.rule] = deadline
        for rule, deadline in live.items():
            if rule not in specs:
                _close(deadline, DeadlineState.MET if rule in done else DeadlineState.CANCELLED, now)
        for rule, spec in specs.items():
            deadline = live.get(rule)
            if deadline is None:
                _open(subject, spec, ctx)
                continue
            if _party(spec) != _party_of(deadline):
                _close(deadline, DeadlineState.CANCELLED, now)
                _open(subject, spec, ctx)
                continue
            basis = {"basis_at": spec.basis, "measure": str(spec.measure), "amount": spec.amount}
            cosmetic = {
                "params": dict(spec.params),
                "escalate_roles": list(dict.fromkeys(str(r) for r in spec.escalate_roles)),
                "link": spec.link[:300],
                "basis_provisional": spec.provisional,
            }
            moved = any(getattr(deadline, k) != v for k, v in basis.items())
            if reason:
                cosmetic.update(recomputed_at=now, recompute_note=reason[:200])
            if moved:
                due_at, provisional = ctx.due(spec)
                if deadline.state == DeadlineState.OPEN and _move(
                    deadline, ctx, due_at=due_at, provisional=provisional, extra={**basis, **cosmetic}
                ):
                    continue
                # Breached (or breached meanwhile): its lateness stays on record; a new one runs.
                _close(deadline, DeadlineState.CANCELLED, now)
                _open(subject, spec, ctx)
                continue
            changed = {k: v for k, v in cosmetic.items() if getattr(deadline, k) != v}
            changed.pop("recomputed_at", None)
            changed.pop("recompute_note", None)
            if changed:
                if "params" in changed:
                    changed["title"] = _title(spec)
                Deadline.objects.filter(pk=deadline.pk).update(**changed)
        run_hook(subject)


def deadlines_recompute(
    *,
    dates: Iterable[datetime.date] | None = None,
    reason: str,
    now: datetime.datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> int:
    """Recompute the due and warning times of open deadlines after a calendar change: every open
    deadline counted in working hours whose span from basis to due touches one of `dates` (all of
    them when `dates` is None, e.g. new working periods), and every provisional one. Records `reason`
    and the time on each deadline that moved; returns how many moved. One transaction; a deadline
    that is now due in the past is breached by the next sweep as usual."""
    now = now or timezone.now()
    ctx = _Context(calendar, now)
    candidates = Deadline.objects.filter(state=DeadlineState.OPEN, closed_at__isnull=True, basis_at__isnull=False)
    calendar_based = models.Q(measure=Measure.WORKING_HOURS) | models.Q(basis_provisional=True)
    scope = models.Q(provisional=True)
    if dates is None:
        scope |= calendar_based
    else:
        days = sorted(set(dates))
        if days:
            tz = SHANGHAI
            first = datetime.datetime.combine(days[0], datetime.time.min, tzinfo=tz)
            last = datetime.datetime.combine(days[-1], datetime.time.min, tzinfo=tz) + datetime.timedelta(days=1)
            scope |= calendar_based & models.Q(basis_at__lt=last, due_at__gte=first)
    moved = 0
    subjects: set[tuple[int, int]] = set()
    with transaction.atomic():
        for deadline in candidates.filter(scope).select_for_update().order_by("pk"):
            due_at, provisional = ctx.due(deadline)
            if due_at == deadline.due_at and provisional == deadline.provisional:
                continue
            note = {"recomputed_at": now, "recompute_note": reason[:200]}
            if _move(deadline, ctx, due_at=due_at, provisional=provisional, extra=note):
                moved += 1
                subjects.add((deadline.subject_type_id, deadline.subject_id))
        run_hooks_for(subjects)
    return moved
