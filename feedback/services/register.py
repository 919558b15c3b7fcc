"""Writes of the register after intake (F1): move an entry through its states, assign it, reply to
the resident, hand a complaint on, the resident's "solved?" answer, and the complaint mirror.

Every state change is a compare-and-set on the state the caller saw (two tabs cannot both close an
entry); the clock's deadlines follow through `deadlines.sync` in the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clock.services import notify, users_for_role
from complaints.search import search_document
from estates.models import Department, Role, User
from estates.scoping import user_can_see_office

from .. import deadlines
from ..models import Entry, EntryEvent, StateLabel
from ..rules import OPEN_STATES, Channel, Kind, State
from .entries import _hand_over, _refresh_due, categories_for, event_add

UNSET = object()

# A complaints.Complaint's kind and channel as the register names them (the mirror).
_MIRROR_KIND = {"complaint": Kind.COMPLAINT, "suggestion": Kind.SUGGESTION}
_MIRROR_CHANNEL = {
    "visit": Channel.VISIT,
    "phone": Channel.PHONE,
    "letter": Channel.LETTER,
    "email": Channel.EMAIL,
    "online": Channel.ONLINE,
    "survey": Channel.SURVEY,
}
# A complaint's category (complaints.Category) as the register's default category code.
_MIRROR_CATEGORY = {
    "repairs": "repairs",
    "security": "security",
    "cleaning": "cleaning",
    "charges": "fees",
    "attitude": "customer_service",
    "noise": "neighbours",
    "parking": "parking",
    "building": "facilities",
    "facilities": "facilities",
    "other": "other",
}
# How far below the newest mirrored complaint the minute-by-minute mirror looks again: a complaint
# whose transaction committed late (a lower id than one already mirrored) is still found.
MIRROR_MARGIN = 1000


def _check_office(entry: Entry, by: User) -> None:
    if not user_can_see_office(by, entry.office_id):
        raise ValidationError(_("This entry belongs to another management office."))


def labels_for(office_id: int) -> list[StateLabel]:
    return list(StateLabel.objects.filter(office_id=office_id, active=True).order_by("meaning", "label"))


def entry_update(
    *,
    entry: Entry,
    by: User,
    state: str | None = None,
    state_label: StateLabel | None = None,
    action: str | None = None,
    outcome: str | None = None,
    reply: str = "",
    department: Department | None | object = UNSET,
    assignee: User | None | object = UNSET,
) -> Entry:
    """Record what was done and the outcome, move the entry to another state (with the office's own
    label for it), assign it, and reply to the resident (`reply`: shown on the tracking page).

    Done and closed need the outcome ("done with its result"). An entry handed to the complaint
    procedure follows the complaint's state (the mirror) and is not moved here."""
    _check_office(entry, by)
    seen = entry.state
    target = state or seen
    if target not in State.values:
        raise ValidationError({"state": _("Choose a state.")})
    if state_label is not None and (state_label.office_id != entry.office_id or state_label.meaning != target):
        raise ValidationError({"state": _("This label does not belong to this state.")})
    if entry.complaint_id and target != seen:
        raise ValidationError(_("This entry follows its complaint; change the complaint instead."))
    updates: dict = {}
    if action is not None and action.strip() != entry.action:
        updates["action"] = action.strip()
    if outcome is not None and outcome.strip() != entry.outcome:
        updates["outcome"] = outcome.strip()
    if department is not UNSET and getattr(department, "pk", None) != entry.department_id:
        if department is not None and department.company_id != entry.office.company_id:
            raise ValidationError({"department": _("The department belongs to another company.")})
        updates["department"] = department
    if assignee is not UNSET and getattr(assignee, "pk", None) != entry.assignee_id:
        if assignee is not None and not user_can_see_office(assignee, entry.office_id):
            raise ValidationError({"assignee": _("This person does not work for this management office.")})
        updates["assignee"] = assignee
    if target in (State.DONE, State.CLOSED) and not updates.get("outcome", entry.outcome):
        raise ValidationError({"outcome": _("Write down the outcome before marking it done or closed.")})
    now = timezone.now()
    if target != seen:
        updates["state"] = target
        if target == State.DONE:
            updates["done_at"] = now
        if target == State.CLOSED:
            updates["closed_at"] = now
            updates["done_at"] = entry.done_at or now
        if target in OPEN_STATES:
            updates["done_at"] = None
            updates["closed_at"] = None
            # Asked again next time it is done.
            updates["resident_solved"] = None
            updates["resident_answered_at"] = None
    if target == State.OPEN and seen == State.OPEN and ("department" in updates or "assignee" in updates):
        if updates.get("department") or updates.get("assignee"):
            updates["state"] = target = State.IN_PROGRESS
    new_label = state_label.pk if state_label is not None else None
    if new_label != entry.state_label_id:
        updates["state_label"] = state_label
    if not updates and not reply.strip():
        return entry

    with transaction.atomic():
        if updates:
            changed = Entry.objects.filter(pk=entry.pk, state=seen).update(**updates, updated_at=now)
            if changed != 1:
                raise ValidationError(_("Someone else changed this entry a moment ago. Reload the page and try again."))
            entry.refresh_from_db()
        if "assignee" in updates or "department" in updates:
            event_add(entry, what=EntryEvent.What.ASSIGNED, actor=by, note=_assigned_text(entry), at=now)
            if entry.assignee_id and entry.assignee_id != by.pk:
                notify(
                    recipients=[entry.assignee],
                    key=f"feedback-assigned-{entry.pk}-{entry.assignee_id}",
                    title=_("Register entry %(number)s is yours") % {"number": entry.number},
                    body=entry.content[:500],
                    link=entry.get_absolute_url(),
                )
        if target != seen:
            what = {State.DONE: EntryEvent.What.DONE, State.CLOSED: EntryEvent.What.CLOSED}.get(
                target, EntryEvent.What.STATE
            )
            event_add(entry, what=what, actor=by, note=entry.outcome, from_state=seen, to_state=target, at=now)
        elif "action" in updates or "outcome" in updates:
            event_add(entry, what=EntryEvent.What.NOTE, actor=by, note=entry.action, at=now)
        if reply.strip():
            event_add(entry, what=EntryEvent.What.REPLY, actor=by, note=reply.strip(), public=True, at=now)
        _refresh_due(entry)
        deadlines.sync(entry)
    return entry


def _assigned_text(entry: Entry) -> str:
    parts = [str(x) for x in (entry.department, entry.assignee) if x is not None]
    return " / ".join(parts) or _("Nobody")


def entry_hand_over(*, entry: Entry, by: User) -> Entry:
    """A complaint that reached the register without going to the complaint procedure (the resident
    page) is handed on now: the complaint is created (C2) and linked."""
    _check_office(entry, by)
    if entry.kind != Kind.COMPLAINT or entry.complaint_id:
        raise ValidationError(_("Only a complaint not yet handed on can be handed on."))
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.complaint_id:
            raise ValidationError(_("Someone else changed this entry a moment ago. Reload the page and try again."))
        _hand_over(locked, by=by)
        deadlines.sync(locked)
    return locked


def entry_resident_answer(*, entry: Entry, solved: bool, note: str = "") -> Entry:
    """The resident's answer to "solved? satisfied?" on the tracking page, asked once when the office
    marks the entry done. Yes closes it; no reopens it and tells the office (FixMyStreet reopens on
    "not fixed")."""
    now = timezone.now()
    note = (note or "").strip()[:1000]
    updates: dict = {"resident_solved": solved, "resident_answered_at": now, "updated_at": now}
    if solved:
        updates.update(state=State.CLOSED, closed_at=now, state_label=None)
    else:
        updates.update(
            state=State.OPEN, done_at=None, closed_at=None, state_label=None, reopen_count=F("reopen_count") + 1
        )
    with transaction.atomic():
        # Compare-and-set: asked once; a second answer (another tab, a replay) changes nothing.
        changed = Entry.objects.filter(pk=entry.pk, state=State.DONE, resident_answered_at__isnull=True).update(
            **updates
        )
        if changed != 1:
            raise ValidationError(_("This question has already been answered."))
        entry.refresh_from_db()
        if solved:
            event_add(entry, what=EntryEvent.What.RESIDENT, actor=None, note=note or _("Solved and satisfied."), at=now)
            event_add(
                entry, what=EntryEvent.What.CLOSED, actor=None, from_state=State.DONE, to_state=State.CLOSED, at=now
            )
        else:
            event_add(entry, what=EntryEvent.What.RESIDENT, actor=None, note=note or _("Not solved."), at=now)
            event_add(
                entry, what=EntryEvent.What.REOPENED, actor=None, from_state=State.DONE, to_state=State.OPEN, at=now
            )
            recipients = list(users_for_role(role=Role.FRONT_DESK, office=entry.office))
            recipients += list(users_for_role(role=Role.OFFICE_MANAGER, office=entry.office))
            if entry.assignee_id:
                recipients.append(entry.assignee)
            notify(
                recipients=recipients,
                key=f"feedback-reopened-{entry.pk}-{entry.reopen_count}",
                title=_("Resident says not solved: %(number)s reopened") % {"number": entry.number},
                body=(note or entry.content)[:500],
                link=entry.get_absolute_url(),
            )
        _refresh_due(entry)
        deadlines.sync(entry)
    return entry


def mirror_complaints(*, full: bool = False, batch: int = 500) -> int:
    """Every complaint stands in the register (F1): make an entry for each complaint that has none
    (the complaints app's own intake), close the entries of finished complaints and reopen those of
    reopened ones. Idempotent (Entry.complaint is unique). Returns how many entries were made."""
    from complaints.models import Complaint
    from complaints.rules import OPEN_STATES as COMPLAINT_OPEN

    missing = Complaint.objects.filter(~Exists(Entry.objects.filter(complaint=OuterRef("pk"))))
    if not full:
        newest = Entry.objects.filter(complaint__isnull=False).aggregate(m=Max("complaint_id"))["m"]
        if newest is not None:
            missing = missing.filter(pk__gt=newest - MIRROR_MARGIN)
    made = 0
    now = timezone.now()
    while True:
        rows = list(missing.select_related("unit__building__community").order_by("pk")[:batch])
        if not rows:
            break
        entries = [
            Entry(
                office_id=c.office_id,
                channel=_MIRROR_CHANNEL.get(c.channel, Channel.OTHER),
                kind=_MIRROR_KIND.get(c.kind, Kind.COMPLAINT),
                community=c.unit.building.community if c.unit_id else None,
                unit_id=c.unit_id,
                resident_id=c.resident_id,
                contact_name=c.contact_name,
                contact_phone=c.contact_phone,
                content=c.content,
                search_text=search_document([c.content]),
                received_at=c.received_at,
                received_by_id=c.received_by_id,
                state=State.IN_PROGRESS if c.state in COMPLAINT_OPEN else State.CLOSED,
                closed_at=None if c.state in COMPLAINT_OPEN else (c.closed_at or now),
                outcome=c.result,
                complaint_id=c.pk,
            )
            for c in rows
        ]
        Entry.objects.bulk_create(entries, ignore_conflicts=True)
        made += len(entries)
        if len(rows) < batch:
            break
    # The complaint decides: finished complaints close their entries; a reopened one reopens it.
    Entry.objects.filter(state__in=OPEN_STATES, complaint__isnull=False).exclude(
        complaint__state__in=COMPLAINT_OPEN
    ).update(state=State.CLOSED, closed_at=now, updated_at=now)
    Entry.objects.filter(Q(state=State.CLOSED) & Q(complaint__state__in=COMPLAINT_OPEN)).update(
        state=State.IN_PROGRESS, closed_at=None, updated_at=now
    )
    _mirror_categories()
    return made


def _mirror_categories() -> None:
    """A complaint classified later (C1) gives its entry the matching register category."""
    pending = Entry.objects.filter(category__isnull=True, complaint__isnull=False).exclude(complaint__category="")
    company_ids = set(pending.values_list("office__company_id", flat=True).distinct()[:100])
    for company_id in company_ids:
        codes = {c.code: c.pk for c in categories_for(company_id)}
        for complaint_category, code in _MIRROR_CATEGORY.items():
            if code in codes:
                pending.filter(office__company_id=company_id, complaint__category=complaint_category).update(
                    category_id=codes[code]
                )
