"""The record forms of a complaint: WY8.3-G01-F1 (C5), WY8.3-G01-F2 (C6), the special report (C7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .complaint import EARLIEST_STORED, Complaint


class RecordForm(models.Model):
    """What every record form of a complaint has: one per complaint (a OneToOneField `complaint` in
    each form), who filled it and when. Saved through complaints.services.records only."""

    office_path = "complaint__office"
    form_code = ""  # the paper form's code, or empty

    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("filled by")
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # Never follows a foreign key (STYLE.md 16).
        return f"{self.form_code or self._meta.verbose_name} #{self.complaint_id}"  # type: ignore[attr-defined]


class ComplaintRecord(RecordForm):
    """C5: the complaint (suggestion) record, WY8.3-G01-F1, for a class-1 complaint. The QA-opinion
    and management-representative boxes of the paper form stay empty: they are not fields here."""

    form_code = "WY8.3-G01-F1"

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="record_f1")
    handling_notes = models.TextField(_("handling"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    result_told = models.TextField(_("result told to the resident"), blank=True)

    class Meta:
        verbose_name = _("complaint (suggestion) record WY8.3-G01-F1")
        verbose_name_plural = _("complaint (suggestion) records WY8.3-G01-F1")


class EngineeringRecord(RecordForm):
    """C6: the engineering problem record, WY8.3-G01-F2, for a class-2 complaint."""

    form_code = "WY8.3-G01-F2"

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="record_f2")
    problem = models.TextField(_("problem"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    measures = models.TextField(_("measures"), blank=True)
    wide_impact = models.BooleanField(_("wide impact"), default=False)
    written_report_sent_at = models.DateTimeField(
        _("written report to the customer service centre at"), null=True, blank=True
    )
    copied_to_qa = models.BooleanField(_("copied to QA"), default=False)

    class Meta:
        verbose_name = _("engineering problem record WY8.3-G01-F2")
        verbose_name_plural = _("engineering problem records WY8.3-G01-F2")
        constraints = [
            models.CheckConstraint(
                condition=Q(written_report_sent_at__isnull=True) | Q(written_report_sent_at__gte=EARLIEST_STORED),
                name="f2_report_sent_in_range",
            ),
        ]


class SpecialReport(RecordForm):
    """C7: a special report on a class-3 complaint with impact, and the published result."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="special_report")
    impact = models.TextField(_("impact"))
    sent_to = models.CharField(_("sent to departments"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    result_published_at = models.DateTimeField(_("result published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("special report")
        verbose_name_plural = _("special reports")
