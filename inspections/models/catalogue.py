"""Q5: the office's paid and convenience services, their prices and promises, and the public page
of each community (reached by a signed token, printed as a QR code from SITE_URL; services.catalogue)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    PAID = "paid", _("Paid service")
    CONVENIENCE = "convenience", _("Convenience service")


class ServiceOffering(models.Model):
    office_path = "office"

    office = models.ForeignKey(
        "estates.Office", on_delete=models.PROTECT, related_name="service_offerings", verbose_name=_("office")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ServiceKind.choices)
    name = models.CharField(_("service"), max_length=100)
    price = models.DecimalField(
        _("price (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    price_unit = models.CharField(_("per"), max_length=30, blank=True, help_text=_("e.g. per visit, per hour"))
    promise = models.CharField(
        _("service promise"), max_length=200, blank=True, help_text=_("e.g. repair response within 30 minutes")
    )
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("service catalogue")
        ordering = ["office", "kind", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="inspection_offering_name_unique")]

    def __str__(self) -> str:
        return self.name
