"""Writes of the complaint procedure (C1-C19 minus the summaries C14/C15).

Every state change is a compare-and-set on the state the caller saw (`filter(pk=..., state=seen)
.update(...)`): two browser tabs, or a double click, cannot both move a complaint; the loser gets a
ValidationError, never a silent overwrite. Every change appends a ComplaintEvent (the timeline).
Deadlines live in the clock: every state change ends with `_sync`, which hands the complaint's
deadline plan (rules.deadline_plan) to clock.deadlines.deadline_sync in the same transaction. No
deadline is opened or closed by hand.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from clock.calendar import WorkCalendar
from clock.deadlines import deadline_sync
from clock.notifications import TEXT, notify
from clock.selectors import live_deadlines_of_model, live_subject_deadlines, load_calendar
from clock.services import users_for_role
from common.attachments import check_upload
from estates.models import Department, Office, Resident, Role, Unit, User
from estates.scoping import user_can_see_office

from . import rules
from .models import (
    Attachment,
    Category,
    Complaint,
    ComplaintEvent,
    ComplaintRecord,
    ComplaintSettings,
    EngineeringRecord,
    EventKind,
    SpecialReport,
    YearCounter,
)
from .rules import Action, State

# How far ahead of the server clock a received time may be: a desk PC a little fast is not "the future".
CLOCK_SKEW = datetime.timedelta(minutes=2)

QA_ROLES = rules.QA_ROLES


# ---------------------------------------------------------------------------------------------
# Helpers


def _link(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def _role_users(role: str, office: Office) -> list[User]:
    return list(users_for_role(role=role, office=office))


def _may(user: User, complaint: Complaint, action: str) -> bool:
    if user.is_superuser:
        return True
    if rules.role_may(user.role, action):
        return True
    # C5: the named person handles the complaint whatever their role.
    return complaint.handler_id == user.pk and action in (Action.TELL_RESULT, Action.REPORT_MEASURES, Action.ADD_NOTE)


def can_act(user: User, complaint: Complaint, action: str) -> bool:
    """Whether `user` may do `action` on `complaint` now (the detail page shows only these)."""
    return (
        user_can_see_office(user, complaint.office_id)
        and rules.allowed_from(complaint.state, action)
        and _may(user, complaint, action)
    )


def _check(user: User, complaint: Complaint, action: str) -> None:
    if not user_can_see_office(user, complaint.office_id):
        raise ValidationError(_("This complaint belongs to another management office."))
    if not rules.allowed_from(complaint.state, action):
        raise ValidationError(
            _("“%(action)s” is not possible while the complaint is “%(state)s”.")
            % {"action": Action(action).label, "state": State(complaint.state).label}
        )
    if not _may(user, complaint, action):
        raise ValidationError(_("Your role may not do “%(action)s”.") % {"action": Action(action).label})


def _event(
    complaint: Complaint,
    *,
    kind: str,
    actor: User | None,
    note: str = "",
    from_state: str = "",
    to_state: str = "",
    at: datetime.datetime | None = None,
) -> ComplaintEvent:
    event = ComplaintEvent(
        complaint=complaint,
        at=at or timezone.now(),
        actor=actor,
        kind=kind,
        note=note,
        from_state=from_state,
        to_state=to_state,
    )
    event.full_clean()
    event.save()
    return event


def _apply(
    complaint: Complaint,
    *,
    by: User,
    action: str,
    kind: str,
    updates: dict[str, Any],
    to_state: str | None = None,
    note: str = "",
) -> Complaint:
    """Compare-and-set: write `updates` (and the new state) only if the complaint is still in the
    state the caller checked; then append the timeline line."""
    seen = complaint.state
    now = timezone.now()
    values = dict(updates)
    if to_state is not None:
        values["state"] = to_state
    values["updated_at"] = now
    changed = Complaint.objects.filter(pk=complaint.pk, state=seen).update(**values)
    if changed != 1:
        raise ValidationError(_("Someone else changed this complaint a moment ago. Reload the page and try again."))
    complaint.refresh_from_db()
    _event(
        complaint,
        kind=kind,
        actor=by,
        note=note,
        from_state=seen if to_state and to_state != seen else "",
        to_state=to_state if to_state and to_state != seen else "",
        at=now,
    )
    _sync(complaint, now=now)
    return complaint


def _sync(complaint: Complaint, *, now: datetime.datetime | None = None, calendar: WorkCalendar | None = None) -> None:
    """Make the complaint's live deadlines what its plan says (issue 6): the one place deadlines of
    a complaint are opened, moved and closed. A final state plans nothing and loads no calendar."""
    if calendar is None and complaint.state in rules.WORKING_STATES:
        calendar = load_calendar()
    plan = rules.deadline_plan(complaint, calendar) if calendar is not None else []
    deadline_sync(complaint, plan, done=rules.deadlines_done(complaint), now=now, calendar=calendar)


def _next_number(year: int) -> str:
    # A row per year, incremented in place: the row lock serialises concurrent intakes (PostgreSQL)
    # and SQLite's IMMEDIATE transactions do the same, so no number is given out twice.
    if not YearCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                YearCounter.objects.create(year=year, last=1)
        except IntegrityError:
            YearCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = YearCounter.objects.get(year=year).last
    return f"TS-{year}-{last:06d}"


def complaints_calendar_changed(
    sender: Any,
    *,
    first: datetime.date | None,
    last: datetime.date | None,
    calendar: WorkCalendar,
    now: datetime.datetime,
    reason: str,
    **kwargs: Any,
) -> int:
    """clock.signals.calendar_changed: C3 depends on the calendar beyond its due time — whether the
    receipt was in working time chooses 8 working hours or 24 hours — so the complaints whose C3
    counts from a changed day are re-planned with the new calendar (in the change's transaction)."""
    live_c3 = live_deadlines_of_model(Complaint).filter(rule=rules.RULE_C3)
    if first is not None:
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=rules.SHANGHAI)
        end = datetime.datetime.combine(last or first, datetime.time.min, tzinfo=rules.SHANGHAI)
        live_c3 = live_c3.filter(basis_at__gte=start, basis_at__lt=end + datetime.timedelta(days=1))
    complaints = Complaint.objects.filter(pk__in=live_c3.values("subject_id"), state__in=rules.WORKING_STATES)
    count = 0
    for complaint in complaints.select_related("office"):
        plan = rules.deadline_plan(complaint, calendar)
        deadline_sync(complaint, plan, done=rules.deadlines_done(complaint), now=now, calendar=calendar, reason=reason)
        count += 1
    return count


def authority_limit(office: Office) -> Decimal:
    """C17: the company's compensation authority (a company setting; RULES default otherwise)."""
    found = ComplaintSettings.objects.filter(company_id=office.company_id).values_list(
        "compensation_authority", flat=True
    )
    value = next(iter(found), None)
    return Decimal(value) if value is not None else rules.DEFAULT_COMPENSATION_AUTHORITY


# ---------------------------------------------------------------------------------------------
# Intake (C2, C3, C9, C10, C13)


@transaction.atomic
def complaint_create(
    *,
    office: Office,
    received_by: User,
    channel: str,
    content: str,
    received_at: datetime.datetime | None = None,
    kind: str = "complaint",
    resident: Resident | None = None,
    unit: Unit | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    department: Department | None = None,
    form_token: uuid.UUID | str | None = None,
) -> Complaint:
    """Log a complaint or suggestion (C2; C13: any employee may). Opens the C3 first-response
    deadline; routes C9 complaints to QA, the assistant GM and the management representative with the
    QA manager as handler (C19); sends customer-service-centre complaints to QA for an opinion (C10).
    The same `form_token` twice (a double submit) returns the complaint made the first time."""
    if form_token:
        form_token = uuid.UUID(str(form_token))
        existing = Complaint.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
    if not user_can_see_office(received_by, office.pk):
        raise ValidationError(_("You do not work for this management office."))
    now = timezone.now()
    received_at = received_at or now
    if received_at.tzinfo is None:
        raise ValidationError({"received_at": _("The time received needs a time zone.")})
    if received_at > now + CLOCK_SKEW:
        raise ValidationError({"received_at": _("The time received cannot be in the future.")})
    if resident is not None and unit is None:
        unit = resident.unit
    if resident is not None and unit is not None and resident.unit_id != unit.pk:
        raise ValidationError({"resident": _("The resident does not live in that unit.")})
    if not content.strip():
        raise ValidationError({"content": _("Write down what was said.")})

    complaint = Complaint(
        office=office,
        number=_next_number(timezone.localtime(received_at).year),
        form_token=form_token or None,
        kind=kind,
        channel=channel,
        resident=resident,
        unit=unit,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        received_at=received_at,
        received_by=received_by,
        content=content.strip(),
        department=department,
    )
    if department is not None and department.company_id != office.company_id:
        raise ValidationError({"department": _("The department belongs to another company.")})
    complaint.full_clean(exclude=["form_token"] if form_token else None)
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError:
        if form_token:
            existing = Complaint.objects.filter(form_token=form_token).first()
            if existing is not None:
                return existing
        raise
    _event(complaint, kind=EventKind.CREATED, actor=received_by, to_state=State.RECEIVED, at=now)

    if channel in rules.C9_CHANNELS:
        _route_c9(complaint, by=received_by)
    elif channel in rules.C10_CHANNELS:
        _route_c10(complaint, by=received_by)
    _sync(complaint, now=now)  # C3
    return complaint


def _route_c9(complaint: Complaint, *, by: User) -> None:
    """C9/C19: to QA and the assistant GM, copied to the management representative; the QA manager
    handles it and QA tracks it."""
    office = complaint.office
    qa_manager = users_for_role(role=Role.QA_MANAGER, office=office).order_by("pk").first()
    if qa_manager is not None:
        Complaint.objects.filter(pk=complaint.pk).update(handler=qa_manager)
        complaint.handler = qa_manager
    details = {"number": complaint.number, "office": office.name}
    to = (
        _role_users(Role.QA_STAFF, office)
        + _role_users(Role.QA_MANAGER, office)
        + _role_users(Role.ASSISTANT_GM, office)
    )
    notify(
        recipients=to,
        key=f"complaint:{complaint.pk}:c9",
        title=N_("Complaint %(number)s made to the company, group or a government body"),
        body=N_("C9: %(office)s recorded it; QA tracks it and the QA manager handles it."),
        params=details,
        link=_link(complaint),
    )
    notify(
        recipients=_role_users(Role.MGMT_REP, office),
        key=f"complaint:{complaint.pk}:c9-copy",
        title=N_("Copy: complaint %(number)s made to the company, group or a government body"),
        body=N_("C9: for your information, as management representative."),
        params=details,
        link=_link(complaint),
    )
    _event(
        complaint,
        kind=EventKind.ROUTED,
        actor=by,
        note=_("C9: sent to QA and the assistant GM, copied to the management representative; handler: %(who)s")
        % {"who": qa_manager or _("no QA manager on record")},
    )


def _route_c10(complaint: Complaint, *, by: User) -> None:
    """C10: a complaint to the customer service centre goes to QA for a handling opinion."""
    Complaint.objects.filter(pk=complaint.pk).update(needs_qa_opinion=True)
    complaint.needs_qa_opinion = True
    office = complaint.office
    notify(
        recipients=_role_users(Role.QA_STAFF, office) + _role_users(Role.QA_MANAGER, office),
        key=f"complaint:{complaint.pk}:c10",
        title=N_("Complaint %(number)s needs QA's handling opinion"),
        body=N_("C10: received via the customer service centre (%(office)s)."),
        params={"number": complaint.number, "office": office.name},
        link=_link(complaint),
    )
    _event(complaint, kind=EventKind.ROUTED, actor=by, note=_("C10: sent to QA for a handling opinion."))


# ---------------------------------------------------------------------------------------------
# Classification (C1, C8)


@transaction.atomic
def complaint_classify(
    *,
    complaint: Complaint,
    by: User,
    complaint_class: int,
    category: str,
    important: bool = False,
    difficult: bool = False,
) -> Complaint:
    _check(by, complaint, Action.CLASSIFY)
    if int(complaint_class) not in rules.ComplaintClass.values:
        raise ValidationError({"complaint_class": _("Choose class 1, 2 or 3.")})
    if category and category not in Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    was_c8 = rules.is_c8(complaint)
    is_c8 = bool(difficult) and int(complaint_class) == rules.ComplaintClass.CLASS_1
    now = timezone.now()
    parts = [str(rules.ComplaintClass(int(complaint_class)).label), str(Category(category).label) if category else "—"]
    if important:
        parts.append(_("important"))
    if difficult:
        parts.append(_("difficult"))
    note = " · ".join(parts)
    updates: dict[str, Any] = {
        "complaint_class": int(complaint_class),
        "category": category,
        "important": bool(important),
        "difficult": bool(difficult),
        "classified_at": now,
    }
    if is_c8 and not was_c8:
        updates.update(c8_since=now, c8_answered_at=None)
    elif was_c8 and not is_c8:
        updates.update(c8_since=None, c8_answered_at=None)
    complaint = _apply(complaint, by=by, action=Action.CLASSIFY, kind=EventKind.CLASSIFIED, updates=updates, note=note)
    if is_c8 and not was_c8:
        _notify_c8(complaint, by=by)
    return complaint


def _notify_c8(complaint: Complaint, *, by: User) -> None:
    """C8: a difficult class-1 complaint reaches QA and the assistant GM, who give a handling opinion
    and a deadline within half a working day (the plan's C8 deadline; met by their handling opinion)."""
    office = complaint.office
    details = {"number": complaint.number}
    deadline = live_subject_deadlines(complaint).filter(rule=rules.RULE_C8).first()
    notify(
        recipients=_role_users(Role.QA_MANAGER, office)
        + _role_users(Role.QA_STAFF, office)
        + _role_users(Role.ASSISTANT_GM, office),
        key=f"complaint:{complaint.pk}:c8:{deadline.pk if deadline else complaint.c8_since}",
        title=N_("Difficult class-1 complaint %(number)s"),
        body=N_("C8: give a handling opinion and a deadline within half a working day."),
        params=details,
        link=_link(complaint),
        deadline=deadline,
    )
    _event(complaint, kind=EventKind.ROUTED, actor=by, note=_("C8: sent to QA and the assistant GM."))


# ---------------------------------------------------------------------------------------------
# Response and handling (C3, C4, C8, C10, C11)


@transaction.atomic
def complaint_respond(*, complaint: Complaint, by: User, note: str = "") -> Complaint:
    """C3: the first response to the resident; meets the C3 deadline (late stays late)."""
    _check(by, complaint, Action.RESPOND)
    now = timezone.now()
    complaint = _apply(
        complaint,
        by=by,
        action=Action.RESPOND,
        kind=EventKind.RESPONDED,
        updates={"responded_at": now, "response_note": note.strip()},
        to_state=State.RESPONDED,
        note=note.strip(),
    )
    return complaint


@transaction.atomic
def complaint_set_handling(
    *,
    complaint: Complaint,
    by: User,
    opinion: str,
    handler: User | None = None,
    department: Department | None = None,
    due_at: datetime.datetime | None = None,
) -> Complaint:
    """C4: the superior's handling opinion and the named person. From QA or the assistant GM it also
    answers C8 (their opinion and deadline, enforced by the clock as C8-DL) and C10."""
    _check(by, complaint, Action.SET_HANDLING)
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write the handling opinion.")})
    if handler is not None and not (user_can_see_office(handler, complaint.office_id) and handler.is_active):
        raise ValidationError({"handler": _("The handler must work for this management office.")})
    if department is not None and department.company_id != complaint.office.company_id:
        raise ValidationError({"department": _("The department belongs to another company.")})
    now = timezone.now()
    if due_at is not None and due_at <= now:
        raise ValidationError({"due_at": _("The deadline must be in the future.")})
    updates: dict[str, Any] = {"handling_opinion": opinion.strip()}
    if handler is not None:
        updates["handler"] = handler
    if department is not None:
        updates["department"] = department
    if due_at is not None:
        updates["handling_due_at"] = due_at
        updates["handling_due_set_at"] = now
    from_qa = by.role in (*QA_ROLES, Role.ASSISTANT_GM, Role.MGMT_REP) or by.is_superuser
    if from_qa:
        updates["needs_qa_opinion"] = False
        if complaint.c8_since is not None and complaint.c8_answered_at is None:
            updates["c8_answered_at"] = now  # C8 answered: QA's or the assistant GM's opinion
    complaint = _apply(
        complaint,
        by=by,
        action=Action.SET_HANDLING,
        kind=EventKind.HANDLING,
        updates=updates,
        to_state=State.IN_HANDLING,
        note=opinion.strip(),
    )
    return complaint


@transaction.atomic
def complaint_forward(*, complaint: Complaint, by: User, department: Department, note: str = "") -> Complaint:
    """C10/C11: the customer service centre or QA gives the complaint to a department, which reports
    its measures to QA within 1 working day; a re-forward restarts it for the new department (C11)."""
    _check(by, complaint, Action.FORWARD)
    if department.company_id != complaint.office.company_id or department.office_id not in (None, complaint.office_id):
        raise ValidationError({"department": _("Choose a department of this management office.")})
    now = timezone.now()
    complaint = _apply(
        complaint,
        by=by,
        action=Action.FORWARD,
        kind=EventKind.FORWARDED,
        updates={"department": department, "forwarded_at": now, "measures_reported_at": None},
        note=department.label + (f" — {note.strip()}" if note.strip() else ""),
    )
    return complaint


@transaction.atomic
def complaint_report_measures(*, complaint: Complaint, by: User, measures: str) -> Complaint:
    """C11: the department's measures reach QA; meets the C11 deadline."""
    _check(by, complaint, Action.REPORT_MEASURES)
    if complaint.forwarded_at is None:
        raise ValidationError(_("The complaint has not been forwarded to a department."))
    if not measures.strip():
        raise ValidationError({"measures": _("Describe the measures.")})
    now = timezone.now()
    complaint = _apply(
        complaint,
        by=by,
        action=Action.REPORT_MEASURES,
        kind=EventKind.MEASURES,
        updates={"measures": measures.strip(), "measures_reported_at": now},
        note=measures.strip(),
    )
    office = complaint.office
    notify(
        recipients=_role_users(Role.QA_STAFF, office) + _role_users(Role.QA_MANAGER, office),
        key=f"complaint:{complaint.pk}:c11:{now.timestamp()}",
        title=N_("Measures reported on complaint %(number)s"),
        body=[(TEXT, {"text": measures.strip()[:500]})],
        params={"number": complaint.number},
        link=_link(complaint),
    )
    return complaint


@transaction.atomic
def complaint_tell_result(*, complaint: Complaint, by: User, result: str) -> Complaint:
    """C5: the resident is told the result; the handling deadline (C8-DL) is met."""
    _check(by, complaint, Action.TELL_RESULT)
    if not result.strip():
        raise ValidationError({"result": _("Write the result told to the resident.")})
    now = timezone.now()
    complaint = _apply(
        complaint,
        by=by,
        action=Action.TELL_RESULT,
        kind=EventKind.RESULT_TOLD,
        updates={"result": result.strip(), "result_told_at": now},
        to_state=State.RESULT_TOLD,
        note=result.strip(),
    )
    return complaint


# ---------------------------------------------------------------------------------------------
# Return visits (C12)


@transaction.atomic
def complaint_decide_return_visit(*, complaint: Complaint, by: User, required: bool, note: str = "") -> Complaint:
    """C12: QA decides whether to return-visit; an important complaint always gets one."""
    _check(by, complaint, Action.DECIDE_RETURN_VISIT)
    if not required and rules.return_visit_required(complaint.important):
        raise ValidationError(_("An important complaint always gets a return visit by QA (C12)."))
    now = timezone.now()
    target = rules.DECIDE_TARGETS[bool(required)]
    updates: dict[str, Any] = {"return_visit_required": bool(required), "return_visit_decided_at": now}
    if target == State.CLOSED:
        updates["closed_at"] = now
    return _apply(
        complaint,
        by=by,
        action=Action.DECIDE_RETURN_VISIT,
        kind=EventKind.RV_DECIDED if required else EventKind.CLOSED,
        updates=updates,
        to_state=target,
        note=note.strip() or (_("Return visit required.") if required else _("No return visit needed.")),
    )


@transaction.atomic
def complaint_record_return_visit(*, complaint: Complaint, by: User, satisfied: bool, note: str = "") -> Complaint:
    """The call outcome: satisfied -> closed; unsatisfied -> back in handling (reopened)."""
    _check(by, complaint, Action.RECORD_RETURN_VISIT)
    now = timezone.now()
    target = rules.RETURN_VISIT_TARGETS[bool(satisfied)]
    updates: dict[str, Any] = {
        "return_visit_at": now,
        "return_visit_by": by,
        "return_visit_satisfied": bool(satisfied),
        "return_visit_note": note.strip(),
    }
    if satisfied:
        updates["closed_at"] = now
    else:
        updates["reopen_count"] = F("reopen_count") + 1
    text = note.strip() or (_("Resident satisfied.") if satisfied else _("Resident not satisfied."))
    return _apply(
        complaint,
        by=by,
        action=Action.RECORD_RETURN_VISIT,
        kind=EventKind.RV_DONE if satisfied else EventKind.REOPENED,
        updates=updates,
        to_state=target,
        note=text,
    )


# ---------------------------------------------------------------------------------------------
# Invalid, developer, management representative (C16-C19)


@transaction.atomic
def complaint_mark_invalid(*, complaint: Complaint, by: User, explanation: str) -> Complaint:
    """C16: an invalid complaint gets a reasonable, patient explanation, recorded. Explaining it to
    the resident is a response, so C3 is met; the other step deadlines are no longer needed."""
    _check(by, complaint, Action.MARK_INVALID)
    if not explanation.strip():
        raise ValidationError({"explanation": _("Record the explanation given to the resident (C16).")})
    now = timezone.now()
    updates: dict[str, Any] = {"invalid": True, "invalid_explanation": explanation.strip(), "closed_at": now}
    if complaint.responded_at is None:
        updates["responded_at"] = now
    complaint = _apply(
        complaint,
        by=by,
        action=Action.MARK_INVALID,
        kind=EventKind.INVALID,
        updates=updates,
        to_state=State.INVALID,
        note=explanation.strip(),
    )
    return complaint


def complaint_compensation_route(complaint: Complaint) -> str:
    """C17/C18 for this complaint: "developer" or "company"."""
    if complaint.return_exchange_request:
        return rules.CompensationRoute.DEVELOPER
    return rules.compensation_route(
        complaint.compensation_amount, complaint.developer_involved, authority_limit(complaint.office)
    )


@transaction.atomic
def complaint_hand_to_developer(
    *,
    complaint: Complaint,
    by: User,
    sent_what: str,
    compensation_amount: Decimal | None = None,
    developer_involved: bool = False,
    return_exchange_request: bool = False,
) -> Complaint:
    """C17: compensation that involves the developer or exceeds the company's authority, and C18: a
    request to return or exchange the home, go to the developer: what was sent and when is recorded.
    Anything else the company handles itself, and is refused here."""
    _check(by, complaint, Action.HAND_TO_DEVELOPER)
    if compensation_amount is not None and compensation_amount < 0:
        raise ValidationError({"compensation_amount": _("The amount cannot be negative.")})
    if not sent_what.strip():
        raise ValidationError({"sent_what": _("Record what was sent to the developer.")})
    route = (
        rules.CompensationRoute.DEVELOPER
        if return_exchange_request
        else rules.compensation_route(compensation_amount, developer_involved, authority_limit(complaint.office))
    )
    if route != rules.CompensationRoute.DEVELOPER:
        raise ValidationError(
            _(
                "Within the company's authority of %(limit)s yuan and not involving the developer: "
                "the company handles it (C17)."
            )
            % {"limit": authority_limit(complaint.office)}
        )
    now = timezone.now()
    reason = _("C18: request to return or exchange the home.") if return_exchange_request else _("C17: compensation.")
    return _apply(
        complaint,
        by=by,
        action=Action.HAND_TO_DEVELOPER,
        kind=EventKind.TO_DEVELOPER,
        updates={
            "compensation_amount": compensation_amount,
            "developer_involved": bool(developer_involved),
            "return_exchange_request": bool(return_exchange_request),
            "developer_sent_at": now,
            "developer_sent_what": sent_what.strip(),
        },
        note=f"{reason} {sent_what.strip()}",
    )


@transaction.atomic
def complaint_record_developer_answer(*, complaint: Complaint, by: User, answer: str) -> Complaint:
    _check(by, complaint, Action.DEVELOPER_ANSWER)
    if complaint.developer_sent_at is None:
        raise ValidationError(_("The complaint has not been handed to the developer."))
    if not answer.strip():
        raise ValidationError({"answer": _("Record the developer's answer.")})
    return _apply(
        complaint,
        by=by,
        action=Action.DEVELOPER_ANSWER,
        kind=EventKind.DEVELOPER_ANSWER,
        updates={"developer_answer": answer.strip(), "developer_answered_at": timezone.now()},
        note=answer.strip(),
    )


@transaction.atomic
def complaint_escalate_to_mr(*, complaint: Complaint, by: User, reason: str) -> Complaint:
    """C19: what the departments could not resolve goes to the management representative, who
    becomes its handler."""
    _check(by, complaint, Action.ESCALATE_TO_MR)
    if complaint.escalated_to_mr:
        raise ValidationError(_("The complaint is already with the management representative."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the departments could not resolve it.")})
    office = complaint.office
    mr = users_for_role(role=Role.MGMT_REP, office=office).order_by("pk").first()
    updates: dict[str, Any] = {"escalated_to_mr": True, "escalated_at": timezone.now(), "escalation_reason": reason}
    if mr is not None:
        updates["handler"] = mr
    complaint = _apply(
        complaint,
        by=by,
        action=Action.ESCALATE_TO_MR,
        kind=EventKind.ESCALATED,
        updates=updates,
        note=reason.strip(),
    )
    notify(
        recipients=_role_users(Role.MGMT_REP, office),
        key=f"complaint:{complaint.pk}:c19",
        title=N_("Complaint %(number)s escalated to you"),
        body=N_("C19: the departments could not resolve it. %(reason)s"),
        params={"number": complaint.number, "reason": reason.strip()[:400]},
        link=_link(complaint),
    )
    return complaint


# ---------------------------------------------------------------------------------------------
# Notes, attachments and the class records (C5, C6, C7)


@transaction.atomic
def complaint_add_note(
    *, complaint: Complaint, by: User, note: str = "", files: list[UploadedFile] | tuple = ()
) -> ComplaintEvent:
    """A line on the timeline with a note and/or attachments (photos, scans)."""
    _check(by, complaint, Action.ADD_NOTE)
    if not note.strip() and not files:
        raise ValidationError(_("Write a note or choose a file."))
    checked = [(f, *check_upload(f)) for f in files]
    event = _event(complaint, kind=EventKind.NOTE, actor=by, note=note.strip())
    for upload, name, content_type in checked:
        _save_attachment(complaint, by=by, upload=upload, name=name, content_type=content_type, event=event)
    return event


def _save_attachment(complaint, *, by, upload, name, content_type, event) -> Attachment:
    attachment = Attachment(
        complaint=complaint,
        event=event,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_add(*, complaint: Complaint, by: User, file: UploadedFile, note: str = "") -> Attachment:
    """One attachment (size and type checked: photos, PDF, office documents; 10 MB)."""
    _check(by, complaint, Action.ADD_NOTE)
    name, content_type = check_upload(file)
    event = _event(complaint, kind=EventKind.NOTE, actor=by, note=note.strip() or name)
    return _save_attachment(complaint, by=by, upload=file, name=name, content_type=content_type, event=event)


def _record_check(complaint: Complaint, by: User, cls: int) -> None:
    _check(by, complaint, Action.ADD_NOTE)
    if not (by.is_superuser or by.role in rules.TRANSITIONS[Action.CLASSIFY].roles or complaint.handler_id == by.pk):
        raise ValidationError(_("Your role may not fill this record."))
    if complaint.complaint_class != cls:
        raise ValidationError(_("This record belongs to a complaint of another class."))


@transaction.atomic
def record_f1_save(
    *, complaint: Complaint, by: User, handling_notes: str, follow_up: str = "", result_told: str = ""
) -> ComplaintRecord:
    """C5: the named person's complaint (suggestion) record WY8.3-G01-F1 (class 1)."""
    _record_check(complaint, by, rules.ComplaintClass.CLASS_1)
    record, _created = ComplaintRecord.objects.update_or_create(
        complaint=complaint,
        defaults={
            "handling_notes": handling_notes.strip(),
            "follow_up": follow_up.strip(),
            "result_told": result_told.strip(),
            "filled_by": by,
            "updated_at": timezone.now(),
        },
    )
    _event(complaint, kind=EventKind.RECORD, actor=by, note=_("Record WY8.3-G01-F1 updated."))
    return record


@transaction.atomic
def record_f2_save(
    *,
    complaint: Complaint,
    by: User,
    problem: str,
    location: str = "",
    cause: str = "",
    measures: str = "",
    wide_impact: bool = False,
    written_report_sent_at: datetime.datetime | None = None,
    copied_to_qa: bool = False,
) -> EngineeringRecord:
    """C6: the engineering problem record WY8.3-G01-F2 (class 2); a wide-impact problem is reported
    in writing to the customer service centre, copied to QA."""
    _record_check(complaint, by, rules.ComplaintClass.CLASS_2)
    if not problem.strip():
        raise ValidationError({"problem": _("Describe the problem.")})
    if wide_impact and (written_report_sent_at is None or not copied_to_qa):
        raise ValidationError(
            _("A problem with wide impact is reported in writing to the customer service centre and copied to QA (C6).")
        )
    record, _created = EngineeringRecord.objects.update_or_create(
        complaint=complaint,
        defaults={
            "problem": problem.strip(),
            "location": location.strip(),
            "cause": cause.strip(),
            "measures": measures.strip(),
            "wide_impact": bool(wide_impact),
            "written_report_sent_at": written_report_sent_at,
            "copied_to_qa": bool(copied_to_qa),
            "filled_by": by,
            "updated_at": timezone.now(),
        },
    )
    _event(complaint, kind=EventKind.RECORD, actor=by, note=_("Record WY8.3-G01-F2 updated."))
    return record


@transaction.atomic
def special_report_save(
    *,
    complaint: Complaint,
    by: User,
    impact: str,
    sent_to: str = "",
    result: str = "",
    publish: bool = False,
) -> SpecialReport:
    """C7: a special report on a class-3 complaint, sent to the related departments; the result
    is published."""
    _record_check(complaint, by, rules.ComplaintClass.CLASS_3)
    if not impact.strip():
        raise ValidationError({"impact": _("Describe the impact.")})
    if publish and not result.strip():
        raise ValidationError({"result": _("Write the result before publishing it.")})
    now = timezone.now()
    existing = SpecialReport.objects.filter(complaint=complaint).first()
    defaults: dict[str, Any] = {
        "impact": impact.strip(),
        "sent_to": sent_to.strip(),
        "result": result.strip(),
        "filled_by": by,
        "updated_at": now,
    }
    if sent_to.strip() and (existing is None or existing.sent_at is None):
        defaults["sent_at"] = now
    if publish and (existing is None or existing.result_published_at is None):
        defaults["result_published_at"] = now
    report, _created = SpecialReport.objects.update_or_create(complaint=complaint, defaults=defaults)
    _event(complaint, kind=EventKind.RECORD, actor=by, note=_("Special report updated (C7)."))
    return report
