"""Office objects of complaints for the office-isolation test (see tests/office_objects/__init__.py)."""

from __future__ import annotations

from django.db.models import Model
from django.utils import timezone

from . import KWARGS, Context, OfficeObject


def _complaint(ctx: Context) -> Model:
    from tests.factories import ComplaintFactory

    return ComplaintFactory(office=ctx.office_a, received_by=ctx.frontdesk_a)


def _complaint_attachment(ctx: Context) -> Model:
    from django.core.files.base import ContentFile

    from complaints.models import Attachment

    complaint = ctx.objects.get("complaint_id") or _complaint(ctx)
    attachment = Attachment(
        complaint=complaint,
        original_name="现场.png",
        content_type="image/png",
        size=12,
        uploaded_by=ctx.frontdesk_a,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("现场.png", ContentFile(b"\x89PNG\r\n\x1a\nxxxx"), save=False)
    attachment.save()
    return attachment


KWARGS["complaint_id"] = OfficeObject(_complaint)  # complaints: detail, actions, records
KWARGS["attachment_id"] = OfficeObject(_complaint_attachment)  # complaints:attachment_download
