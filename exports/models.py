"""An Excel export built in the background (issue 10): who asked, which export, its validated filter,
where it stands, and the file it made (in private storage, served only to its owner)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Built")
    FAILED = "failed", _("Build failed")


WAITING_STATES = (ExportState.PENDING, ExportState.RUNNING)


class ExportJob(models.Model):
    # The download link carries this, not the row id: links cannot be guessed, so "no such job" can
    # safely say "expired" (expired jobs are deleted) while another user's job answers 404.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("user")
    )
    kind = models.CharField(_("export"), max_length=60)
    # The validated filter (exports.registry.dump). It may hold a searched name, so it is never logged
    # and never sent to the queue: the task gets the job id.
    params = models.JSONField(default=dict, blank=True)
    # sha256 of the kind and the params: the same export asked again while one is waiting is that job.
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=ExportState.choices, default=ExportState.PENDING)
    file = models.CharField(max_length=300, blank=True)  # the storage name of the built workbook
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    # The exception's class only, never its text (which may quote a resident's data).
    error = models.CharField(_("error"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        constraints = [
            # A double click, a resubmit or two tabs make one job: at most one waiting job per user and
            # export with the same filter (a finished one does not count: the data may have changed).
            models.UniqueConstraint(
                fields=["user", "fingerprint"],
                condition=Q(state__in=["pending", "running"]),
                name="export_job_one_waiting",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="export_job_created_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
