"""Answers (S7, S10): one response per sampled unit, kept by a database constraint; the second keying
of a paper form (double entry); the phone checks of unreturned units before closing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..rules import Level
from .questionnaires import Question
from .rounds import Collection, SampleUnit

_USER = settings.AUTH_USER_MODEL


class Response(models.Model):
    office_path = "sample_unit__round__office"

    # One response per unit (issue 12): two tabs or two phones at once still make one row.
    sample_unit = models.OneToOneField(
        SampleUnit, on_delete=models.CASCADE, related_name="response", verbose_name=_("sampled unit")
    )
    channel = models.CharField(_("channel"), max_length=6, choices=Collection.choices)
    proxy = models.BooleanField(_("proxy answer"), default=False)
    entered_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_unique")]
        indexes = [models.Index(fields=["question", "level"], name="answer_question_level")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class SecondEntry(models.Model):
    """A paper form keyed a second time by another user; compared with the first."""

    sample_unit = models.OneToOneField(SampleUnit, on_delete=models.CASCADE, related_name="second")
    entered_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    levels = models.JSONField(default=dict)  # question id (str) -> level or None
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("second entry")
        verbose_name_plural = _("second entries")

    def __str__(self) -> str:
        return f"#{self.pk}"


class UnreturnedCheck(models.Model):
    """Staff verify 2-3 unreturned units by phone before collection closes."""

    sample_unit = models.ForeignKey(SampleUnit, on_delete=models.CASCADE, related_name="checks")
    checked_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()
    note = models.CharField(_("what the resident said"), max_length=200)

    class Meta:
        verbose_name = _("unreturned-unit check")
        verbose_name_plural = _("unreturned-unit checks")

    def __str__(self) -> str:
        return f"#{self.pk}"
