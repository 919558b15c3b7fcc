"""Writes of Q1 spot checks and Q2 verification call-backs: a reproducible random sample per office
and month, the call-back queue, and what a failed verification becomes (a reopened item or a finding).

Sources of items to verify are registered in SOURCES (kind -> candidates of a month), and the apps
that can reopen an item in REOPENERS (kind -> the owning app's own service); a source whose app is not
installed, or that offers no reopening, is simply absent.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import Office, Resident, User

from .. import rules
from ..models import CallbackItem, CallbackKind, CallbackOutcome, CallbackSample, CheckStandard, InspectionSettings
from .checks import _require_qa, check_open, finding_add


def settings_for(company) -> InspectionSettings:
    found = InspectionSettings.objects.filter(company=company).first()
    return found or InspectionSettings(company=company)


def _closed_complaints(office: Office, start: datetime.datetime, end: datetime.datetime) -> list[int]:
    from complaints.models import Complaint, State

    return list(
        Complaint.objects.filter(office=office, state=State.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .order_by()
        .values_list("pk", flat=True)
    )


def _closed_requests(office: Office, start: datetime.datetime, end: datetime.datetime) -> list[int]:
    from feedback.models import Entry
    from feedback.rules import Kind, State

    return list(
        Entry.objects.filter(
            office=office, kind=Kind.SERVICE, state=State.CLOSED, closed_at__gte=start, closed_at__lt=end
        )
        .order_by()
        .values_list("pk", flat=True)
    )


# kind -> (app label, candidate ids of an office's month)
SOURCES: dict[str, tuple[str, Callable[[Office, datetime.datetime, datetime.datetime], list[int]]]] = {
    CallbackKind.COMPLAINT: ("complaints", _closed_complaints),
    CallbackKind.ENTRY: ("feedback", _closed_requests),
}
# kind -> (app label, reopen(item, by, note)): through the owning app's own service.
REOPENERS: dict[str, tuple[str, Callable[[CallbackItem, User, str], None]]] = {}


def can_reopen(kind: str) -> bool:
    entry = REOPENERS.get(kind)
    return entry is not None and apps.is_installed(entry[0])


@transaction.atomic
def sample_draw(*, office: Office, month: datetime.date, by: User) -> CallbackSample:
    """Draw the office's sample for `month` (its spot-check residents, and the complaints and service
    requests closed that month), once: drawing again returns the sample already drawn."""
    _require_qa(by)
    month = rules.month_start(month)
    existing = CallbackSample.objects.filter(office=office, month=month).first()
    if existing is not None:
        return existing
    conf = settings_for(office.company)
    seed = rules.sample_seed(settings.SECRET_KEY, office.pk, month)
    try:
        with transaction.atomic():
            sample = CallbackSample.objects.create(
                office=office, month=month, seed=seed, drawn_at=timezone.now(), drawn_by=by
            )
    except IntegrityError:
        return CallbackSample.objects.get(office=office, month=month)
    residents = Resident.objects.filter(unit__building__community__office=office).values_list("pk", flat=True)
    rows = [
        CallbackItem(sample=sample, kind=CallbackKind.RESIDENT, order=n, resident_id=pk)
        for n, pk in enumerate(rules.draw_sample(list(residents), conf.residents_per_sample, seed, "resident"))
    ]
    start, end = rules.period_bounds("monthly", month)
    for kind, (app_label, candidates) in SOURCES.items():
        if not apps.is_installed(app_label):
            continue
        for n, pk in enumerate(rules.draw_sample(candidates(office, start, end), conf.items_per_sample, seed, kind)):
            item = CallbackItem(sample=sample, kind=kind, order=n)
            if kind == CallbackKind.COMPLAINT:
                item.complaint_id = pk
            else:
                item.entry_id = pk
            rows.append(item)
    CallbackItem.objects.bulk_create(rows)
    return sample


def _finding_check(office: Office):
    """The office's open monthly check of this month, where a failed verification is recorded."""
    standard = CheckStandard.objects.filter(company_id=office.company_id, active=True, period="monthly").first()
    if standard is None:
        raise ValidationError(_("There is no monthly check standard to record the finding in."))
    check, _created = check_open(office=office, standard=standard, period_start=rules.month_start(timezone.localdate()))
    if not check.is_open:
        raise ValidationError(_("This month's check is signed off; record the finding in the next one."))
    return check


@transaction.atomic
def callback_record(
    *,
    item: CallbackItem,
    by: User,
    reached: bool,
    handled: bool | None = None,
    satisfied: bool | None = None,
    note: str = "",
    on_failure: str = "finding",
) -> CallbackItem:
    """Q2: the call's answers. A failed verification reopens the item through its owning app
    (`on_failure="reopen"`, where that app offers it) or becomes a finding in this month's check."""
    _require_qa(by)
    item = CallbackItem.objects.select_for_update().select_related("sample__office").get(pk=item.pk)
    if item.outcome == CallbackOutcome.FAILED:
        raise ValidationError(_("This call-back failed and was already followed up."))
    outcome = rules.callback_outcome(kind=item.kind, reached=reached, handled=handled, satisfied=satisfied)
    item.called_at, item.called_by = timezone.now(), by
    item.reached, item.handled, item.satisfied, item.note = reached, handled, satisfied, note
    item.outcome = outcome
    if outcome == CallbackOutcome.FAILED:
        if on_failure == "reopen" and can_reopen(item.kind):
            REOPENERS[item.kind][1](item, by, note)
            item.reopened = True
        else:
            what = dict(CallbackKind.choices)[item.kind]
            item.finding = finding_add(
                check=_finding_check(item.sample.office),
                by=by,
                description=_("Verification call-back failed (%(what)s): %(note)s") % {"what": what, "note": note},
                evidence=_("Call-back of %(when)s by %(who)s")
                % {"when": f"{item.called_at:%Y-%m-%d %H:%M}", "who": by},
            )
    item.save()
    return item
