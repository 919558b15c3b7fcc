"""F4: QA designs the questionnaire; a version in use is frozen, changes make a new version.
The company's survey settings (S3 policy, S8 threshold, proxy cap, double entry)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estates.models import Company, DepartmentKind

from ..rules import SamplePolicy

FORM_CODE = "F/QP-8.2-01/001"  # S20: the survey form


class SurveySettings(models.Model):
    """One row per company: what RULES.md lets the company set, with its defaults."""

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="survey_settings", verbose_name=_("company")
    )
    sample_policy = models.CharField(
        _("sample policy"), max_length=20, choices=SamplePolicy.choices, default=SamplePolicy.OCCUPANCY_AGE
    )
    return_threshold = models.DecimalField(
        _("return threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("75"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
        help_text=_("S8: share of the forms handed out that must come back."),
    )
    proxy_cap = models.DecimalField(
        _("proxy answers cap (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Phone answers taken by staff, at most this share of the sample."),
    )
    double_entry = models.PositiveSmallIntegerField(
        _("double entry (%)"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of paper forms keyed a second time by another user and compared."),
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return str(_("Survey settings"))


class Questionnaire(models.Model):
    """One version of a questionnaire. Versions of the same questionnaire share `family`; a version
    used by an approved round is frozen (`frozen_at`) and never changes again (F4)."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="questionnaires", verbose_name=_("company")
    )
    family = models.SlugField(_("family"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=100)
    introduction = models.TextField(_("introduction"), blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["company", "family", "version"], name="questionnaire_version_unique"),
            models.UniqueConstraint(fields=["company"], condition=Q(is_default=True), name="questionnaire_one_default"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class QuestionKind(models.TextChoices):
    ITEM = "item", _("Satisfaction item")
    OPEN = "open", _("Open question")


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", verbose_name=_("questionnaire")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=5, choices=QuestionKind.choices, default=QuestionKind.ITEM)
    # Stable across versions, so rounds on different versions compare item by item.
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("text"), max_length=200)
    # S17: dissatisfied answers go to this department as nonconformities.
    department_kind = models.CharField(
        _("responsible department"), max_length=20, choices=DepartmentKind.choices, blank=True
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_unique"),
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_position_unique"),
        ]

    def __str__(self) -> str:
        return self.text
