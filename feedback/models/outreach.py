"""Asking residents (F3): forums (座谈会) and home visits (家访), and the public resident page of a
community (F1 online)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutreachKind(models.TextChoices):
    FORUM = "forum", _("Resident forum")
    HOME_VISIT = "home_visit", pgettext_lazy("feedback", "Home visit")


class OutreachState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Closed")


class Outreach(models.Model):
    """A forum or a home visit (F3): date, place, who took part (a household count for a forum, the
    household visited for a home visit), the record, and the opinions collected — each one a register
    entry linked here (Entry.outreach). Closing requires the record."""

    office_path = "office"

    office = models.ForeignKey(
        "estates.Office", on_delete=models.PROTECT, related_name="feedback_outreach", verbose_name=_("office")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OutreachKind.choices)
    community = models.ForeignKey(
        "estates.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    unit = models.ForeignKey(
        "estates.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household visited"),
    )
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    households = models.PositiveIntegerField(_("households taking part"), null=True, blank=True)
    staff = models.CharField(_("staff taking part"), max_length=200, blank=True)
    record = models.TextField(_("record"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=OutreachState.choices, default=OutreachState.PLANNED)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("forum or home visit")
        verbose_name_plural = _("forums and home visits")
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["office", "-held_at"], name="fb_outreach_office_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OutreachKind.values), name="fb_outreach_kind_valid"),
            # F3: closing an event requires its record.
            models.CheckConstraint(
                condition=Q(state="planned") | (Q(closed_at__isnull=False) & ~Q(record="")),
                name="fb_outreach_closed_has_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("feedback:outreach_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.state == OutreachState.CLOSED


class ResidentPage(models.Model):
    """The public page of a community (its QR code on the notice board). The key in its address is
    random, so the office can replace it (a new QR code) if a page is abused."""

    office_path = "community__office"

    community = models.OneToOneField(
        "estates.Community", on_delete=models.CASCADE, related_name="resident_page", verbose_name=_("community")
    )
    key = models.CharField(_("key"), max_length=32, unique=True)
    active = models.BooleanField(_("open to residents"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident page")
        verbose_name_plural = _("resident pages")

    def __str__(self) -> str:
        return self.key
