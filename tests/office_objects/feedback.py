"""Office objects of feedback (F1-F3) for the office-isolation test (see tests/office_objects/__init__.py)."""

from __future__ import annotations

import datetime

from django.db.models import Model
from django.utils import timezone

from . import INSIDERS, KWARGS, NOT_OFFICE_OBJECTS, Context, OfficeObject


def _feedback_entry(ctx: Context) -> Model:
    from feedback.models import Entry

    return Entry.objects.create(
        office=ctx.office_a,
        channel="phone",
        kind="opinion",
        content="电梯噪音大",
        received_at=timezone.now() - datetime.timedelta(minutes=5),
        received_by=ctx.frontdesk_a,
    )


def _feedback_outreach(ctx: Context) -> Model:
    from feedback.models import Outreach

    return Outreach.objects.create(
        office=ctx.office_a,
        kind="forum",
        held_at=timezone.now() - datetime.timedelta(days=1),
        households=12,
        created_by=ctx.frontdesk_a,
    )


def _feedback_archive(ctx: Context) -> Model:
    from feedback.models import MonthlyArchive

    return MonthlyArchive.objects.create(
        office=ctx.office_a, month=datetime.date(2026, 1, 1), data={"total": 0}, generated_at=timezone.now()
    )


def _feedback_action(ctx: Context) -> Model:
    from feedback.models import CorrectiveAction

    return CorrectiveAction.objects.create(
        office=ctx.office_a,
        title="报修响应慢",
        owner=ctx.frontdesk_a,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        created_by=ctx.frontdesk_a,
        created_at=timezone.now(),
    )


def _feedback_community(ctx: Context) -> Model:
    """A community of office A with its resident page (the QR code answers only for an open page)."""
    from feedback.models import ResidentPage

    community = ctx.unit_a.building.community
    ResidentPage.objects.get_or_create(community=community, defaults={"key": "isolation-page-key"})
    return community


KWARGS["entry_id"] = OfficeObject(_feedback_entry)  # feedback: detail, update, hand_over
KWARGS["outreach_id"] = OfficeObject(_feedback_outreach)  # feedback:outreach_*
KWARGS["archive_id"] = OfficeObject(_feedback_archive)  # feedback:archive_*
KWARGS["action_id"] = OfficeObject(_feedback_action)  # feedback:action_*
KWARGS["feedback:community_id"] = OfficeObject(_feedback_community)  # feedback:page_qr, page_renew
NOT_OFFICE_OBJECTS["feedback:page_key"] = "the public resident page of a community: open to anyone by design (F1)"
NOT_OFFICE_OBJECTS["feedback:token"] = "a private tracking token checked by its own hash (F1 resident page)"
INSIDERS.update({f"feedback:archive_{name}": "officemanager" for name in ("analysis", "refresh", "action_create")})


def _feedback_state_label(ctx: Context) -> Model:
    from feedback.models import StateLabel

    return StateLabel.objects.create(office=ctx.office_a, meaning="closed", label="已转交供电局")


KWARGS["label_id"] = OfficeObject(_feedback_state_label)  # feedback:label_retire
INSIDERS["feedback:label_retire"] = "officemanager"
NOT_OFFICE_OBJECTS["feedback:code"] = (
    "a category code of the user's own company (feedback:category_save scopes by company)"
)
