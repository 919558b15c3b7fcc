"""Classification (C1, C8)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from clock.notifications import notify
from clock.selectors import live_subject_deadlines
from estates.models import Role, User

from .. import rules
from ..models import (
    Category,
    Complaint,
    EventKind,
)
from ..rules import Action
from .core import (
    add_event,
    apply_change,
    check_action,
    complaint_link,
    role_users,
)


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
    check_action(by, complaint, Action.CLASSIFY)
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
    complaint = apply_change(
        complaint, by=by, action=Action.CLASSIFY, kind=EventKind.CLASSIFIED, updates=updates, note=note
    )
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
        recipients=role_users(Role.QA_MANAGER, office)
        + role_users(Role.QA_STAFF, office)
        + role_users(Role.ASSISTANT_GM, office),
        key=f"complaint:{complaint.pk}:c8:{deadline.pk if deadline else complaint.c8_since}",
        title=N_("Difficult class-1 complaint %(number)s"),
        body=N_("C8: give a handling opinion and a deadline within half a working day."),
        params=details,
        link=complaint_link(complaint),
        deadline=deadline,
    )
    add_event(complaint, kind=EventKind.ROUTED, actor=by, note=_("C8: sent to QA and the assistant GM."))
