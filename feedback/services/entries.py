"""Writes of the register (F1).

`entry_create` is the one way an entry is made: the front-desk form, the resident page, forums and
home visits (F3), and the surveys app for every resident comment (S9) and suggestion (S17) call it.
A complaint logged here is handed to the complaint procedure in the same transaction
(complaints.services.complaint_create) and both are linked.

Complaints logged through the complaints app's own intake stand in the register too. complaints
imports nothing of ours (layers: feedback → complaints, one direction), so the register brings them in
itself: `mirror_complaints` (a beat task every minute, and idempotent: Entry.complaint is unique)
makes an entry for each complaint that has none and closes the entries of closed complaints. Reading
complaints into the register list instead would have made every list page a union of two tables with
two keysets and two sets of filters; a mirrored row keeps the register one indexed table.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from estates.models import Community, Company, Department, Office, Resident, Unit, User
from estates.scoping import user_can_see_office

from .. import deadlines
from ..models import Category, Entry, EntryEvent
from ..rules import DEFAULT_CATEGORIES, OPEN_STATES, Channel, Kind, State

# How far ahead of the server clock a received time may be: a desk PC a little fast is not "the future".
CLOCK_SKEW = datetime.timedelta(minutes=2)
# How far back the front desk may date a contact it is logging late.
MAX_BACKDATE = datetime.timedelta(days=366)

# A register channel as the complaint procedure names it.
COMPLAINT_CHANNEL = {
    Channel.VISIT: "visit",
    Channel.PHONE: "phone",
    Channel.LETTER: "letter",
    Channel.EMAIL: "email",
    Channel.ONLINE: "online",
    Channel.SURVEY: "survey",
    Channel.FORUM: "visit",
    Channel.HOME_VISIT: "visit",
    Channel.OTHER: "visit",
}


def categories_for(company: Company | int) -> list[Category]:
    """The company's categories in order, the defaults made on first use (the list is the
    company's to edit afterwards)."""
    company_id = company if isinstance(company, int) else company.pk
    existing = list(Category.objects.filter(company_id=company_id).order_by("order", "pk"))
    if existing:
        return existing
    for order, (code, _label, hours) in enumerate(DEFAULT_CATEGORIES):
        try:
            with transaction.atomic():
                Category.objects.get_or_create(
                    company_id=company_id, code=code, defaults={"order": order, "service_hours": hours}
                )
        except IntegrityError:  # made by a concurrent request: theirs is as good
            pass
    return list(Category.objects.filter(company_id=company_id).order_by("order", "pk"))


def category_by_code(company: Company | int, code: str) -> Category:
    for category in categories_for(company):
        if category.code == code:
            return category
    raise ValidationError({"category": _("Unknown category: %(code)s.") % {"code": code}})


def event_add(
    entry: Entry,
    *,
    what: str,
    actor: User | None,
    note: str = "",
    public: bool = False,
    from_state: str = "",
    to_state: str = "",
    at: datetime.datetime | None = None,
) -> EntryEvent:
    event = EntryEvent(
        entry=entry,
        at=at or timezone.now(),
        actor=actor,
        what=what,
        note=note,
        public=public,
        from_state=from_state,
        to_state=to_state,
    )
    event.full_clean()
    event.save()
    return event


def _check_time(received_at: datetime.datetime, now: datetime.datetime) -> None:
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValidationError({"received_at": _("The time received needs a time zone.")})
    if received_at > now + CLOCK_SKEW:
        raise ValidationError({"received_at": _("The time received cannot be in the future.")})
    if received_at < now - MAX_BACKDATE:
        raise ValidationError({"received_at": _("The time received is more than a year ago.")})


def entry_create(
    *,
    office: Office,
    by: User | None,
    channel: str,
    kind: str,
    content: str,
    category: Category | str | None = None,
    community: Community | None = None,
    unit: Unit | None = None,
    resident: Resident | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    received_at: datetime.datetime | None = None,
    action: str = "",
    outcome: str = "",
    follow_up: bool = False,
    answered_on_the_spot: bool = False,
    department: Department | None = None,
    assignee: User | None = None,
    form_token: uuid.UUID | str | None = None,
    source_key: str | None = None,
    tracking_hash: str | None = None,
    hand_over_complaint: bool = True,
) -> Entry:
    """Log one contact in the register (F1) and return it.

    - `by` is who received it (None only for the resident page: the resident logged it).
    - `category` is a Category of the office's company or a category code ("repairs").
    - An enquiry (any kind but a complaint or service request) answered on the spot
      (`answered_on_the_spot`, with `action` saying the answer) is closed in the same save.
    - A service request gets its due time from the category (working hours, a company setting),
      enforced by the clock (rule F1).
    - A complaint is handed to the complaint procedure at once (`hand_over_complaint`, needs `by`):
      the complaint is created (C2, its C3 deadline opened) and linked.
    - The same `form_token` or `source_key` twice returns the entry made the first time (a double
      submit; a survey retrying, S9)."""
    if form_token:
        form_token = uuid.UUID(str(form_token))
        existing = Entry.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
    if source_key:
        existing = Entry.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    if by is not None and not user_can_see_office(by, office.pk):
        raise ValidationError(_("You do not work for this management office."))
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a channel.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": pgettext("feedback", "Write down what was said.")})
    now = timezone.now()
    received_at = received_at or now
    _check_time(received_at, now)

    if isinstance(category, str):
        category = category_by_code(office.company_id, category) if category else None
    if category is not None and category.company_id != office.company_id:
        raise ValidationError({"category": _("The category belongs to another company.")})
    if resident is not None and unit is None:
        unit = resident.unit
    if resident is not None and unit is not None and resident.unit_id != unit.pk:
        raise ValidationError({"resident": _("The resident does not live in that unit.")})
    if unit is not None and community is None:
        community = unit.building.community
    if department is not None and department.company_id != office.company_id:
        raise ValidationError({"department": _("The department belongs to another company.")})
    if assignee is not None and not user_can_see_office(assignee, office.pk):
        raise ValidationError({"assignee": _("This person does not work for this management office.")})
    if answered_on_the_spot and kind in (Kind.COMPLAINT, Kind.SERVICE):
        raise ValidationError(
            {"kind": _("A complaint or a service request cannot be closed on the spot; log it and hand it on.")}
        )
    if answered_on_the_spot and not action.strip():
        raise ValidationError({"action": _("Write down the answer given.")})

    service_hours = None
    if kind == Kind.SERVICE:
        service_hours = (category.service_hours if category is not None else None) or 8
    state = State.CLOSED if answered_on_the_spot else State.OPEN
    entry = Entry(
        office=office,
        form_token=form_token or None,
        source_key=source_key or None,
        channel=channel,
        kind=kind,
        category=category,
        community=community,
        unit=unit,
        resident=resident,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        content=content,
        received_at=received_at,
        received_by=by,
        action=action.strip(),
        outcome=outcome.strip(),
        follow_up=follow_up,
        state=state,
        department=department,
        assignee=assignee,
        service_hours=service_hours,
        closed_at=now if state == State.CLOSED else None,
        tracking_hash=tracking_hash,
    )
    entry.full_clean(exclude=["form_token", "source_key", "tracking_hash"])
    try:
        with transaction.atomic():
            entry.save()
            event_add(entry, what=EntryEvent.What.CREATED, actor=by, to_state=state, at=now)
            if state == State.CLOSED:
                event_add(entry, what=EntryEvent.What.CLOSED, actor=by, note=entry.action, at=now)
            if kind == Kind.COMPLAINT and hand_over_complaint and by is not None:
                _hand_over(entry, by=by)
            _refresh_due(entry)
            deadlines.sync(entry)
    except IntegrityError:
        existing = None
        if form_token:
            existing = Entry.objects.filter(form_token=form_token).first()
        if existing is None and source_key:
            existing = Entry.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
        raise
    return entry


def _refresh_due(entry: Entry) -> None:
    """Keep the due time on the row (the list sorts and flags by it) in step with the plan; a service
    request done or closed keeps the due time it had."""
    if entry.kind != Kind.SERVICE or entry.state not in OPEN_STATES:
        return
    due_at = deadlines.service_due(entry)
    if entry.due_at != due_at:
        entry.due_at = due_at
        Entry.objects.filter(pk=entry.pk).update(due_at=due_at)


def _hand_over(entry: Entry, *, by: User) -> None:
    """Create the complaint for a register entry of kind complaint (C2) and link both."""
    from complaints.services import complaint_create

    complaint = complaint_create(
        office=entry.office,
        received_by=by,
        channel=COMPLAINT_CHANNEL.get(entry.channel, "visit"),
        content=entry.content,
        received_at=entry.received_at,
        resident=entry.resident,
        unit=entry.unit,
        contact_name=entry.contact_name,
        contact_phone=entry.contact_phone,
        department=entry.department,
        # Issue 9: an entry older than the back-dating window is a late entry of the complaint; its
        # deadlines run from now (ignored within the window).
        late_entry_reason=_("Handed over from the customer communication register."),
    )
    entry.complaint = complaint
    entry.state = State.IN_PROGRESS
    Entry.objects.filter(pk=entry.pk).update(complaint=complaint, state=State.IN_PROGRESS, updated_at=timezone.now())
    event_add(
        entry,
        what=EntryEvent.What.STATE,
        actor=by,
        note=_("Handed to the complaint procedure as %(number)s.") % {"number": complaint.number},
        from_state=State.OPEN,
        to_state=State.IN_PROGRESS,
    )
