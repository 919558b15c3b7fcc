"""Office objects of exports (issue 10) for the office-isolation test (see tests/office_objects/__init__.py)."""

from __future__ import annotations

from django.db.models import Model
from django.utils import timezone

from . import KWARGS, Context, OfficeObject


def _export_job(ctx: Context) -> Model:
    """A built background export belongs to the user who asked, not to an office: the insider's own."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from exports.models import ExportJob, ExportState
    from exports.services import storage_name

    job = ExportJob.objects.create(
        user=ctx.insider,
        kind="complaints.work_log",
        fingerprint="isolation-test",
        state=ExportState.DONE,
        filename="工作信息记录本.xlsx",
        created_at=timezone.now(),
    )
    job.file = default_storage.save(storage_name(job), ContentFile(b"PK\x05\x06" + b"\0" * 18))
    job.save(update_fields=["file"])
    return job


KWARGS["exports:token"] = OfficeObject(_export_job, value=lambda job: job.token)  # exports:download
