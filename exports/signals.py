"""A built export's file goes with its job, however the job is deleted: expiry deletes the file itself
(and retries one it cannot delete), but a job deleted with its user (the cascade) or by an admin would
otherwise leave a workbook of residents' data in storage that nothing points to."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ExportJob

logger = logging.getLogger(__name__)


def _delete_file(name: str) -> None:
    try:
        default_storage.delete(name)  # a file already gone (expiry deleted it) is not an error
    except Exception as exc:  # noqa: BLE001 - the deletion of the rows stands
        logger.warning("export file %s not deleted (%s)", name, type(exc).__name__)


@receiver(post_delete, sender=ExportJob, dispatch_uid="exports.file_goes_with_job")
def file_goes_with_job(sender, instance: ExportJob, **kwargs) -> None:
    if instance.file:
        # Once the deletion commits: a rolled-back deletion keeps its job and so its file.
        transaction.on_commit(lambda name=instance.file: _delete_file(name))
