"""Office objects of inspections (Q1-Q5) for the office-isolation test (see tests/office_objects/__init__.py)."""

from __future__ import annotations

import datetime

from django.db.models import Model
from django.utils import timezone

from . import INSIDERS, KWARGS, NOT_OFFICE_OBJECTS, Context, OfficeObject


def _inspection_standard(ctx: Context) -> Model:
    from inspections.services.standards import default_standard_ensure

    return default_standard_ensure(company=ctx.company)


def _inspection_check(ctx: Context) -> Model:
    from inspections.services.checks import check_open

    standard = _inspection_standard(ctx)
    return check_open(office=ctx.office_a, standard=standard, period_start=timezone.localdate().replace(day=1))[0]


def _callback_sample(ctx: Context) -> Model:
    from inspections.models import CallbackSample

    return CallbackSample.objects.create(
        office=ctx.office_a, month=datetime.date(2026, 1, 1), seed="x", drawn_at=timezone.now(), drawn_by=ctx.insider
    )


def _callback_item(ctx: Context) -> Model:
    from inspections.models import CallbackItem
    from tests.factories import ResidentFactory

    sample = ctx.objects.get("callback_sample_id") or _callback_sample(ctx)
    return CallbackItem.objects.create(sample=sample, kind="resident", resident=ResidentFactory(unit=ctx.unit_a))


def _repair(ctx: Context) -> Model:
    from inspections.models import RepairRecord

    return RepairRecord.objects.create(
        office=ctx.office_a,
        what="更换水龙头",
        repairer="王师傅",
        done_on=timezone.localdate(),
        created_at=timezone.now(),
        created_by=ctx.frontdesk_a,
    )


def _offering(ctx: Context) -> Model:
    from inspections.models import ServiceOffering

    return ServiceOffering.objects.create(office=ctx.office_a, kind="paid", name="疏通下水道", promise="30分钟内响应")


KWARGS["check_id"] = OfficeObject(_inspection_check)  # inspections:check_*
KWARGS["standard_id"] = OfficeObject(_inspection_standard)  # inspections:standard_* (company-scoped)
KWARGS["callback_sample_id"] = OfficeObject(_callback_sample)  # inspections:sample_detail
KWARGS["callback_id"] = OfficeObject(_callback_item)  # inspections:callback_record
KWARGS["repair_id"] = OfficeObject(_repair)  # inspections:repair_visit
KWARGS["offering_id"] = OfficeObject(_offering)  # inspections:offering_edit
KWARGS["community_id"] = OfficeObject(lambda ctx: ctx.unit_a.building.community)  # inspections:community_*
NOT_OFFICE_OBJECTS["inspections:token"] = "the public service page's token (Q5, no login), checked by its own signature"
# QA's own pages: the front desk gets 403 there before any lookup, so QA is the insider.
INSIDERS.update(
    {
        f"inspections:{name}": "qa"
        for name in (
            "check_refresh",
            "check_score_item",
            "check_add_finding",
            "check_promise",
            "check_sign",
            "check_letter_promise",
            "standard_detail",
            "standard_item_save",
            "standard_item_remove",
            "standard_section_save",
            "standard_pass_mark",
            "standard_active",
            "sample_detail",
            "callback_record",
        )
    }
)
INSIDERS["inspections:offering_edit"] = "assistant"


def _inspection_finding(ctx: Context) -> Model:
    from inspections.models import Finding

    check = _inspection_check(ctx)
    return Finding.objects.create(
        check_run=check,
        description="登记表缺少处理结果",
        created_at=timezone.now(),
        created_by=ctx.insider,
    )


KWARGS["finding_id"] = OfficeObject(_inspection_finding)  # inspections:finding_action_*
INSIDERS.update({f"inspections:finding_action_{name}": "qa" for name in ("set", "verify", "send_back")})


def _finding_photo(ctx: Context) -> Model:
    from django.core.files.base import ContentFile

    from inspections.models import FindingPhoto

    photo = FindingPhoto(
        finding=_inspection_finding(ctx),
        original_name="现场.png",
        content_type="image/png",
        size=12,
        uploaded_at=timezone.now(),
        uploaded_by=ctx.insider,
    )
    photo.file.save("现场.png", ContentFile(b"\x89PNG\r\n\x1a\nxxxx"), save=False)
    photo.save()
    return photo


KWARGS["photo_id"] = OfficeObject(_finding_photo)  # inspections:finding_photo
INSIDERS["inspections:finding_photo_add"] = "qa"
