"""Q1: findings QA records in a check, with their evidence. A finding becomes a corrective action
(feedback.CorrectiveAction, verified by QA only) that the office works off."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .checks import Check
from .standards import Item


class Finding(models.Model):
    office_path = "check_run__office"

    check_run = models.ForeignKey(Check, on_delete=models.PROTECT, related_name="findings", db_column="check_id")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("check item")
    )
    description = models.TextField(_("finding"))
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What was seen, where, who said so."))
    # Q1: the corrective action the finding became (feedback's, verifier QA); set when QA names its
    # owner and due date, at once or later.
    corrective_action = models.OneToOneField(
        "feedback.CorrectiveAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_finding",
        verbose_name=_("corrective action"),
    )
    # A hidden UUID the form carries: a double submit finds the finding already made.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["check_run", "pk"]

    def __str__(self) -> str:
        return self.description[:50]


def photo_path(instance: FindingPhoto, filename: str) -> str:
    # Never the uploaded name on disk: it is user input (kept in original_name for the download).
    suffix = "." + filename.rsplit(".", 1)[1].lower()[:5] if "." in filename else ""
    return f"inspections/{uuid.uuid4().hex}{suffix}"


class FindingPhoto(models.Model):
    """Q1: a photo in evidence of a finding, stored without its EXIF (common.attachments.without_metadata)."""

    office_path = "finding__check_run__office"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to=photo_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        ordering = ["finding", "pk"]

    def __str__(self) -> str:
        return self.original_name
