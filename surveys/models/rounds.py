"""A survey round per community and half year (S2), its plan JL/WI-KF-019/001 (S1) and its sample
(S3, S4), with the hand-out and collection of each sampled unit (S5-S8)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from estates.models import Building, Community, Office, Unit

from ..rules import SamplePolicy, period_text
from .questionnaires import Questionnaire

PLAN_CODE = "JL/WI-KF-019/001"  # S1, S20
TABLE_CODE = "JL/WI-KF-019/002"  # S9, S20

_USER = settings.AUTH_USER_MODEL


def new_token() -> str:
    # 32 bytes from the OS's CSPRNG (256 bits), never derived from the unit.
    return secrets.token_urlsafe(32)


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Plan drafted")
    SUBMITTED = "submitted", _("Awaiting the office manager's review")
    REVIEWED = "reviewed", _("Awaiting the company's approval")
    APPROVED = "approved", _("Approved")
    FIELDWORK = "fieldwork", _("Hand-out and collection")
    CLOSED = "closed", _("Collection closed")
    ANALYSED = "analysed", _("Statistics done")


class SurveyRound(models.Model):
    office_path = "office"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="survey_rounds", verbose_name=_("office"))
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="survey_rounds", verbose_name=_("community")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half year"), choices=[(1, _("First half")), (2, _("Second half"))])
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("questionnaire")
    )
    state = models.CharField(_("state"), max_length=10, choices=RoundState.choices, default=RoundState.DRAFT)

    # S1: the plan JL/WI-KF-019/001
    purpose = models.TextField(_("purpose"))
    targets = models.TextField(_("who is surveyed"))
    content = models.TextField(_("content"))
    scope = models.TextField(_("distribution scope and number"))
    schedule = models.TextField(_("schedule and staff"))
    requirements = models.TextField(_("feedback and return-visit requirements"))
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_note = models.TextField(_("returned with"), blank=True)

    # S3/S4: the sample, reproducible from the recorded seed
    policy = models.CharField(_("sample policy"), max_length=20, choices=SamplePolicy.choices)
    required_size = models.PositiveIntegerField(_("required forms"), null=True, blank=True)
    size_reason = models.CharField(_("rule applied"), max_length=200, blank=True)
    seed = models.CharField(_("draw seed"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    # S5-S8
    forms_received_at = models.DateTimeField(_("forms received from QA"), null=True, blank=True)
    handout_done_at = models.DateTimeField(_("hand-out finished"), null=True, blank=True)
    closed_at = models.DateTimeField(_("collection closed"), null=True, blank=True)
    closed_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    close_reason = models.TextField(_("reason for closing below the threshold"), blank=True)

    # S9-S19
    statistics_at = models.DateTimeField(_("statistics done"), null=True, blank=True)
    statistics_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    letter_posted_at = models.DateTimeField(_("open letter posted"), null=True, blank=True)
    letter_waived = models.BooleanField(_("no open letter needed"), default=False)
    letter_waived_reason = models.TextField(_("why no open letter"), blank=True)
    sent_to_qa_at = models.DateTimeField(_("sent to QA"), null=True, blank=True)
    sent_to_qa_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    qa_forwarded_at = models.DateTimeField(_("forwarded to the management representative"), null=True, blank=True)
    qa_forwarded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    qa_summary = models.TextField(_("QA's compiled issues"), blank=True)
    mr_reviewed_at = models.DateTimeField(_("reviewed by the management representative"), null=True, blank=True)
    results_posted_at = models.DateTimeField(_("results posted"), null=True, blank=True)
    public_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-year", "-half", "community_id"]
        constraints = [
            # S2: one round per community and half year
            models.UniqueConstraint(fields=["community", "year", "half"], name="survey_round_unique"),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="survey_round_half"),
        ]
        indexes = [models.Index(fields=["office", "state"], name="survey_round_office_state")]
        permissions = [
            ("approve_plan", _("Can approve survey plans for the company")),
            ("manage_questionnaires", _("Can design questionnaires")),
        ]

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:round", args=[self.pk])

    @property
    def period_label(self) -> str:
        """ "2026 上半年" in the active language."""
        return period_text(self.year, self.half)


class Channel(models.TextChoices):
    """S6: how a form reached the unit."""

    DOOR = "door", _("Door to door")
    PHONE = "phone", _("By phone")
    MAIL = "mail", _("By mail")
    LINK = "link", _("Link sent")


class Collection(models.TextChoices):
    """S7: how the answer came back. A phone answer taken by staff is a proxy answer."""

    STAFF = "staff", _("Collected by staff")
    GUARD = "guard", _("Left at the guard booth")
    ONLINE = "online", _("Answered online")
    PHONE = "phone", _("By phone (proxy answer)")
    MAIL = "mail", _("By mail")


class SampleUnit(models.Model):
    """One sampled unit of a round: its form, its private answer link, its hand-out and collection."""

    office_path = "round__office"

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="sample", verbose_name=_("round"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    active = models.BooleanField(_("in the sample"), default=True)
    swapped_for = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("replaced by")
    )
    swap_reason = models.CharField(_("reason for the swap"), max_length=200, blank=True)
    second_entry = models.BooleanField(_("keyed twice"), default=False)

    handed_out_at = models.DateTimeField(_("handed out at"), null=True, blank=True)
    handout_channel = models.CharField(_("hand-out channel"), max_length=5, choices=Channel.choices, blank=True)
    handed_out_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    collection = models.CharField(_("collection channel"), max_length=6, choices=Collection.choices, blank=True)
    collected_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("sampled unit")
        verbose_name_plural = _("sampled units")
        ordering = ["round", "building_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="sample_unit_unique")]
        indexes = [models.Index(fields=["round", "active", "building"], name="sample_round_building")]

    def __str__(self) -> str:
        return f"#{self.pk}"
