"""Intake (C2, C3, C9, C10, C13): numbering, logging a complaint, routing C9 and C10."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from clock.notifications import notify
from clock.services import users_for_role
from common.dates import check_window
from common.db import create_once
from common.text import strip_control
from estates.models import Department, Office, Resident, Role, Unit, User
from estates.scoping import user_can_see_office

from .. import rules
from ..models import (
    Complaint,
    ComplaintSettings,
    EventKind,
    YearCounter,
)
from ..rules import State
from .core import (
    add_event,
    complaint_link,
    role_users,
    sync_deadlines,
)

# How far ahead of the server clock a received time may be: a desk PC a little fast is not "the future".
CLOCK_SKEW = datetime.timedelta(minutes=2)
# Issue 9: the company's default back-dating window, and how recent a same-resident same-text complaint
# must be to be called a possible duplicate (Back then 登记 again, a refresh, a second tab).
BACKDATE_DAYS = 3
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


def backdate_days(company_id: int) -> int:
    days = ComplaintSettings.objects.filter(company_id=company_id).values_list("backdate_days", flat=True).first()
    return BACKDATE_DAYS if days is None else days


def possible_duplicate(
    *, office: Office, content: str, resident: Resident | None, contact_name: str, contact_phone: str, now
) -> Complaint | None:
    """The complaint logged in the last 10 minutes for the same resident (or contact) with the same
    text, if any."""
    qs = Complaint.objects.filter(office=office, content=content.strip(), created_at__gte=now - DUPLICATE_WINDOW)
    if resident is not None:
        qs = qs.filter(resident=resident)
    elif contact_phone.strip():
        qs = qs.filter(resident__isnull=True, contact_phone=contact_phone.strip())
    else:
        qs = qs.filter(resident__isnull=True, contact_name=contact_name.strip())
    return qs.order_by("-created_at", "-pk").first()


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
    late_entry_reason: str = "",
    allow_duplicate: bool = True,
) -> Complaint:
    """Log a complaint or suggestion (C2; C13: any employee may). Opens the C3 first-response
    deadline; routes C9 complaints to QA, the assistant GM and the management representative with the
    QA manager as handler (C19); sends customer-service-centre complaints to QA for an opinion (C10).
    The same `form_token` twice (a double submit) returns the complaint made the first time.

    Issue 9: a receipt time more than the company's back-dating window ago (3 days) needs
    `late_entry_reason`; the deadlines of such a late entry run from its entry, and the number follows
    the year of entry. With `allow_duplicate=False` (the intake page), the same resident and text
    logged in the last 10 minutes is refused with code "duplicate" (params: the earlier number)."""
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
    check_window(received_at, rules.RECEIVED_WINDOW, field="received_at", now=now)
    late_entry_reason = late_entry_reason.strip()
    days = backdate_days(office.company_id)
    if received_at < now - datetime.timedelta(days=days):
        if not late_entry_reason:
            raise ValidationError(
                {
                    "late_entry_reason": _(
                        "Received more than %(days)d days ago: say why it is entered only now. Its deadlines "
                        "will run from now."
                    )
                    % {"days": days}
                }
            )
    else:
        late_entry_reason = ""
    if resident is not None and unit is None:
        unit = resident.unit
    if resident is not None and unit is not None and resident.unit_id != unit.pk:
        raise ValidationError({"resident": _("The resident does not live in that unit.")})
    if not content.strip():
        raise ValidationError({"content": _("Write down what was said.")})
    content = strip_control(content)
    if len(content) > rules.TEXT_LIMIT:
        raise ValidationError({"content": _("At most %(limit)d characters.") % {"limit": rules.TEXT_LIMIT}})
    if not allow_duplicate:
        earlier = possible_duplicate(
            office=office,
            content=content,
            resident=resident,
            contact_name=contact_name,
            contact_phone=contact_phone,
            now=now,
        )
        if earlier is not None:
            raise ValidationError(
                _("Possible duplicate of %(number)s, logged a few minutes ago with the same text."),
                code="duplicate",
                params={"number": earlier.number, "pk": earlier.pk},
            )

    complaint = Complaint(
        office=office,
        # The series follows the year of entry: a back-dated complaint is numbered when it is logged.
        number=_next_number(timezone.localtime(now).year),
        late_entry_reason=late_entry_reason,
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

    def create() -> Complaint:
        complaint.save()
        return complaint

    # A double submit racing the first: the same form token makes the one complaint of the first.
    complaint, created = create_once(
        create, lambda: Complaint.objects.filter(form_token=form_token).first() if form_token else None
    )
    if not created:
        return complaint
    add_event(complaint, kind=EventKind.CREATED, actor=received_by, to_state=State.RECEIVED, at=now)

    if channel in rules.C9_CHANNELS:
        _route_c9(complaint, by=received_by)
    elif channel in rules.C10_CHANNELS:
        _route_c10(complaint, by=received_by)
    sync_deadlines(complaint, now=now)  # C3
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
    to = role_users(Role.QA_STAFF, office) + role_users(Role.QA_MANAGER, office) + role_users(Role.ASSISTANT_GM, office)
    notify(
        recipients=to,
        key=f"complaint:{complaint.pk}:c9",
        title=N_("Complaint %(number)s made to the company, group or a government body"),
        body=N_("C9: %(office)s recorded it; QA tracks it and the QA manager handles it."),
        params=details,
        link=complaint_link(complaint),
    )
    notify(
        recipients=role_users(Role.MGMT_REP, office),
        key=f"complaint:{complaint.pk}:c9-copy",
        title=N_("Copy: complaint %(number)s made to the company, group or a government body"),
        body=N_("C9: for your information, as management representative."),
        params=details,
        link=complaint_link(complaint),
    )
    add_event(
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
        recipients=role_users(Role.QA_STAFF, office) + role_users(Role.QA_MANAGER, office),
        key=f"complaint:{complaint.pk}:c10",
        title=N_("Complaint %(number)s needs QA's handling opinion"),
        body=N_("C10: received via the customer service centre (%(office)s)."),
        params={"number": complaint.number, "office": office.name},
        link=complaint_link(complaint),
    )
    add_event(complaint, kind=EventKind.ROUTED, actor=by, note=_("C10: sent to QA for a handling opinion."))
