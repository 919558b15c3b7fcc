"""The complaint's state machine as data, and the action registry (C4-C8, C12, C16-C19): the states,
the actions, and for each action its source states, roles, form and service (Transition). Pure: no
database. Re-exported by complaints.rules, which is where callers read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from estates.models import QA_ROLES, Role

if TYPE_CHECKING:
    from .models import Complaint


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    RESPONDED = "responded", _("Responded")
    IN_HANDLING = "in_handling", _("In handling")
    RESULT_TOLD = "result_told", _("Result told")
    AWAITING_RETURN_VISIT = "awaiting_rv", _("Awaiting return visit")
    CLOSED = "closed", _("Closed")
    INVALID = "invalid", _("Invalid")


OPEN_STATES = (
    State.RECEIVED,
    State.RESPONDED,
    State.IN_HANDLING,
    State.RESULT_TOLD,
    State.AWAITING_RETURN_VISIT,
)
FINAL_STATES = (State.CLOSED, State.INVALID)
WORKING_STATES = (State.RECEIVED, State.RESPONDED, State.IN_HANDLING)


class Action(models.TextChoices):
    CLASSIFY = "classify", _("Classify")
    RESPOND = "respond", _("First response")
    SET_HANDLING = "set_handling", _("Handling opinion")
    FORWARD = "forward", _("Forward to department")
    REPORT_MEASURES = "report_measures", _("Report measures to QA")
    TELL_RESULT = "tell_result", _("Result told to the resident")
    DECIDE_RETURN_VISIT = "decide_rv", _("Decide on a return visit")
    RECORD_RETURN_VISIT = "record_rv", _("Record the return visit")
    MARK_INVALID = "mark_invalid", _("Invalid complaint")
    HAND_TO_DEVELOPER = "to_developer", _("Hand to the developer")
    DEVELOPER_ANSWER = "developer_answer", _("Developer's answer")
    ESCALATE_TO_MR = "escalate_mr", _("Escalate to the management representative")
    ADD_NOTE = "note", _("Add a note or attachment")
    CORRECT_CONTACT = "correct_contact", _("Correct the resident's name and phone")


@dataclass(frozen=True)
class Transition:
    """One action on a complaint, declared once — the action registry. urls.py makes its POST URL,
    the detail page shows its form, the view runs its service, and actions_for/can_act decide who may,
    all from this entry; adding an action is one entry here (plus its form and its service).

    - sources: the states it may start from; target: the state it leads to (None: unchanged, or
      chosen by the service from the outcome, like the return visit's);
    - roles: the roles that may take it (the named handler may also take HANDLER_ACTIONS);
    - form / service: names in complaints.forms and complaints.services (names, so the rules stay
      free of the database); the form's fields are the service's keyword arguments;
    - available: a pure condition on the complaint beyond its state (C11 measures need a forward);
    - who: a pure condition on the complaint and the user's role beyond `roles` (C12: an important
      complaint's return visit is QA's);
    - multipart: the form uploads a file; help_template: shown above the form.
    """

    action: str
    sources: tuple[str, ...]
    target: str | None
    roles: frozenset[str]
    form: str = ""
    service: str = ""
    available: Callable[[Complaint], bool] | None = None
    who: Callable[[Complaint, str], bool] | None = None
    multipart: bool = False
    help_template: str = ""
    # Issue 9: the button says what it does; the rarer actions sit behind one "more" menu.
    button: str = ""
    rare: bool = False


_OFFICE_STAFF = frozenset({Role.FRONT_DESK, Role.CS_ASSISTANT, Role.DEPT_MANAGER, Role.OFFICE_MANAGER})
_SUPERIORS = frozenset({Role.DEPT_MANAGER, Role.OFFICE_MANAGER})
_QA = frozenset(QA_ROLES)
_LEADERS = frozenset({Role.ASSISTANT_GM, Role.MGMT_REP})
_ALL_STAFF = _OFFICE_STAFF | _QA | _LEADERS
# C5: the named person handles the complaint whatever their role.
HANDLER_ACTIONS = frozenset({"tell_result", "report_measures", "note"})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            Action.CLASSIFY,
            OPEN_STATES,
            None,
            _OFFICE_STAFF - {Role.FRONT_DESK} | _QA | _LEADERS,
            form="ClassifyForm",
            service="complaint_classify",
            help_template="complaints/_classify_help.html",
        ),
        Transition(Action.RESPOND, (State.RECEIVED,), State.RESPONDED, _ALL_STAFF, "RespondForm", "complaint_respond"),
        # C4: the superior gives a handling opinion and names a person; C8/C10: QA and the assistant GM do.
        Transition(
            Action.SET_HANDLING,
            (State.RECEIVED, State.RESPONDED, State.IN_HANDLING),
            State.IN_HANDLING,
            _SUPERIORS | _QA | _LEADERS,
            "HandlingForm",
            "complaint_set_handling",
            # C1/C4 (issue 9): the class decides who handles it — classified first.
            available=lambda c: c.complaint_class is not None,
        ),
        Transition(
            Action.FORWARD,
            WORKING_STATES,
            None,
            _SUPERIORS | {Role.CS_ASSISTANT} | _QA | _LEADERS,
            "ForwardForm",
            "complaint_forward",
        ),
        Transition(
            Action.REPORT_MEASURES,
            WORKING_STATES,
            None,
            _OFFICE_STAFF - {Role.FRONT_DESK},
            "MeasuresForm",
            "complaint_report_measures",
            available=lambda c: c.forwarded_at is not None,
        ),
        Transition(
            Action.TELL_RESULT,
            (State.RESPONDED, State.IN_HANDLING),
            State.RESULT_TOLD,
            _ALL_STAFF,
            "ResultForm",
            "complaint_tell_result",
        ),
        # C12: QA decides; the target (awaiting the visit, or closed) depends on the decision.
        Transition(
            Action.DECIDE_RETURN_VISIT,
            (State.RESULT_TOLD,),
            None,
            _QA,
            "DecideReturnVisitForm",
            "complaint_decide_return_visit",
        ),
        # Satisfied -> closed; unsatisfied -> back to handling (reopened). C12: an important complaint
        # always gets QA's return visit, recorded by QA only.
        Transition(
            Action.RECORD_RETURN_VISIT,
            (State.AWAITING_RETURN_VISIT,),
            None,
            _QA | {Role.CS_ASSISTANT, Role.FRONT_DESK},
            "ReturnVisitForm",
            "complaint_record_return_visit",
            who=lambda c, role: not c.important or role in _QA,
        ),
        Transition(
            Action.MARK_INVALID,
            WORKING_STATES,
            State.INVALID,
            _SUPERIORS | {Role.CS_ASSISTANT} | _QA,
            "InvalidForm",
            "complaint_mark_invalid",
        ),
        Transition(
            Action.HAND_TO_DEVELOPER,
            WORKING_STATES,
            None,
            _SUPERIORS | {Role.CS_ASSISTANT} | _QA | _LEADERS,
            "DeveloperForm",
            "complaint_hand_to_developer",
            available=lambda c: c.developer_sent_at is None,
        ),
        Transition(
            Action.DEVELOPER_ANSWER,
            WORKING_STATES,
            None,
            _SUPERIORS | {Role.CS_ASSISTANT} | _QA | _LEADERS,
            "DeveloperAnswerForm",
            "complaint_record_developer_answer",
            available=lambda c: c.developer_sent_at is not None and c.developer_answered_at is None,
        ),
        Transition(
            Action.ESCALATE_TO_MR,
            WORKING_STATES,
            None,
            _SUPERIORS | _QA | {Role.ASSISTANT_GM},
            "EscalateForm",
            "complaint_escalate_to_mr",
            available=lambda c: not c.escalated_to_mr,
        ),
        Transition(
            Action.ADD_NOTE, tuple(State.values), None, _ALL_STAFF, "NoteForm", "complaint_add_note", multipart=True
        ),
        # Issue 9 (the README's promise): the front desk corrects the resident's name and phone; the
        # change goes on the timeline.
        Transition(
            Action.CORRECT_CONTACT,
            OPEN_STATES,
            None,
            _OFFICE_STAFF | _QA,
            "CorrectContactForm",
            "complaint_correct_contact",
        ),
    )
}

# The named buttons and the rarer actions (issue 9: the page shows the step(s) this user can take now,
# each button named by what it does; the rarer ones behind "more").
_BUTTONS = {
    Action.CLASSIFY: (_("Save the class"), False),
    Action.RESPOND: (_("Record the first response"), False),
    Action.SET_HANDLING: (_("Give the handling opinion"), False),
    Action.FORWARD: (_("Forward to the department"), False),
    Action.REPORT_MEASURES: (_("Report the measures to QA"), False),
    Action.TELL_RESULT: (_("Tell the resident the result"), False),
    Action.DECIDE_RETURN_VISIT: (_("Save the decision"), False),
    Action.RECORD_RETURN_VISIT: (_("Record the return visit"), False),
    Action.MARK_INVALID: (_("Mark as invalid"), True),
    Action.HAND_TO_DEVELOPER: (_("Hand to the developer"), True),
    Action.DEVELOPER_ANSWER: (_("Record the developer's answer"), True),
    Action.ESCALATE_TO_MR: (_("Escalate to the management representative"), True),
    Action.ADD_NOTE: (_("Add the note"), True),
    Action.CORRECT_CONTACT: (_("Save the correction"), True),
}
TRANSITIONS = {
    action: replace(t, button=_BUTTONS[action][0], rare=_BUTTONS[action][1]) for action, t in TRANSITIONS.items()
}

# Targets the services choose by outcome (for documentation and the tests).
RETURN_VISIT_TARGETS = {True: State.CLOSED, False: State.IN_HANDLING}
DECIDE_TARGETS = {True: State.AWAITING_RETURN_VISIT, False: State.CLOSED}


def allowed_from(state: str, action: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and state in transition.sources


def role_may(role: str, action: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and role in transition.roles


def actions_for(state: str, role: str, *, superuser: bool = False) -> list[str]:
    """The actions shown on a complaint in `state` to a user with `role`."""
    return [t.action for t in TRANSITIONS.values() if state in t.sources and (superuser or role in t.roles)]


def role_may_on(complaint: Complaint, role: str, action: str) -> bool:
    """The action's condition on the complaint and the role (Transition.who), beyond `roles`."""
    transition = TRANSITIONS.get(action)
    return transition is not None and (transition.who is None or transition.who(complaint, role))


def available(complaint: Complaint, action: str) -> bool:
    """The action's own condition beyond state and role (a forward before measures, one hand-off)."""
    transition = TRANSITIONS[action]
    return transition.available is None or transition.available(complaint)
