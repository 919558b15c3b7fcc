"""After the survey: the open letter and its promises (S15, Q3), return visits (S18)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .answers import Answer
from .questionnaires import Question
from .rounds import SampleUnit, SurveyRound

_USER = settings.AUTH_USER_MODEL


class OpenLetter(models.Model):
    """S15: drafted from the concentrated issues, approved by the management representative (never
    the author) before it is posted."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting the management representative")
        APPROVED = "approved", _("Approved")
        POSTED = "posted", _("Posted")

    office_path = "round__office"

    round = models.OneToOneField(SurveyRound, on_delete=models.CASCADE, related_name="letter")
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("letter"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_note = models.TextField(_("returned with"), blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("open letter")
        verbose_name_plural = _("open letters")
        indexes = [models.Index(fields=["state"], name="open_letter_state")]

    def __str__(self) -> str:
        return self.title


class OpenLetterPromise(models.Model):
    """Q3: each promise of an approved open letter, with a state QA verifies until residents are satisfied."""

    class State(models.TextChoices):
        OPEN = "open", _("Promised")
        DONE = "done", _("Done by the office")
        VERIFIED = "verified", _("Verified by QA")

    office_path = "letter__round__office"

    letter = models.ForeignKey(OpenLetter, on_delete=models.CASCADE, related_name="promises")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("promise"), max_length=300)
    due_on = models.DateField(_("promised by"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("open letter promise")
        verbose_name_plural = _("open letter promises")
        ordering = ["letter", "position"]
        constraints = [models.UniqueConstraint(fields=["letter", "position"], name="promise_position_unique")]

    def __str__(self) -> str:
        return self.text


class ReturnVisit(models.Model):
    """S18: customer service calls back a resident who was dissatisfied with an item."""

    class State(models.TextChoices):
        PENDING = "pending", _("To visit")
        DONE = "done", _("Visited")

    class Outcome(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied with the handling")
        DISSATISFIED = "dissatisfied", _("Still dissatisfied")
        UNREACHABLE = "unreachable", _("Could not be reached")

    office_path = "round__office"

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="return_visits")
    sample_unit = models.ForeignKey(SampleUnit, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="return_visit")
    corrective_action_id = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    visited_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    visited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey return visit")
        verbose_name_plural = _("survey return visits")
        ordering = ["round", "sample_unit_id", "question_id"]
        indexes = [
            models.Index(fields=["round", "state"], name="survey_rv_round_state"),
            models.Index(fields=["state"], condition=Q(state="pending"), name="survey_rv_pending"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
