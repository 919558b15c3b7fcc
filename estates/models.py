"""Who and where: company, offices, communities, buildings, units, residents, departments, staff."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles. Each is a Django group with the permissions of roles.ROLE_PERMISSIONS."""

    FRONT_DESK = "front_desk", _("Front desk")
    CS_ASSISTANT = "cs_assistant", _("Customer affairs assistant")
    DEPT_MANAGER = "dept_manager", _("Department manager")
    OFFICE_MANAGER = "office_manager", _("Office manager")
    QA_STAFF = "qa_staff", _("QA staff")
    QA_MANAGER = "qa_manager", _("QA manager")
    MGMT_REP = "mgmt_rep", _("Management representative")
    ASSISTANT_GM = "assistant_gm", _("Assistant general manager")
    COMPANY_ADMIN = "company_admin", _("Company administrator")


# Simplified Chinese unless the user chose otherwise (issue 6 section 6: emails in the reader's language).
DEFAULT_USER_LANGUAGE = "zh-hans"

# Company-level roles see every office of their company; the others see only their own offices.
COMPANY_ROLES = frozenset({Role.QA_STAFF, Role.QA_MANAGER, Role.MGMT_REP, Role.ASSISTANT_GM, Role.COMPANY_ADMIN})
# The role sets the rules name (one place; RULES.md): QA, and those who supervise the offices from above.
# Tuples, not sets: deadlines store them as escalation lists, in this order.
QA_ROLES = (Role.QA_STAFF, Role.QA_MANAGER)
SUPERVISOR_ROLES = (*QA_ROLES, Role.ASSISTANT_GM, Role.MGMT_REP)


def format_unit_label(community: str, building: str, number: str) -> str:
    """How a unit is named everywhere — lists, records, exports, snapshots: 小区 + 楼栋 + 房号
    ("科信小区 3栋-1203"). Takes names, so a `.values()` row is labelled without loading models."""
    return f"{community} {building}-{number}"


class Company(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """A management office (管理处)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="offices", verbose_name=_("company"))
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=30)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("management office")
        verbose_name_plural = _("management offices")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="office_code_unique"),
            models.UniqueConstraint(fields=["company", "name"], name="office_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """A community (小区); occupancy date and households drive survey sampling (S3)."""

    office_path = "office"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="communities", verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=100)
    occupied_on = models.DateField(_("occupancy date"))
    households = models.PositiveIntegerField(
        _("households"), help_text=_("Number of households, as counted for the under-300 rule (S3).")
    )
    standalone = models.BooleanField(_("standalone community"), default=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="community_name_unique")]

    def __str__(self) -> str:
        return self.name

    def occupancy_years(self, on: datetime.date) -> int:
        """Whole years from the occupancy date to `on` (S3: "5 years or more")."""
        years = on.year - self.occupied_on.year
        if (on.month, on.day) < (self.occupied_on.month, self.occupied_on.day):
            years -= 1
        return max(years, 0)


class Building(models.Model):
    office_path = "community__office"

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("community")
    )
    name = models.CharField(_("building"), max_length=50)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="building_name_unique")]

    def __str__(self) -> str:
        # Never follows a foreign key (STYLE.md 16): a list of buildings costs no query per row.
        return self.name


class Unit(models.Model):
    office_path = "building__community__office"

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("building"))
    number = models.CharField(_("unit number"), max_length=30)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    occupied = models.BooleanField(_("occupied"), default=True)
    owner_absent = models.BooleanField(
        _("owner lives elsewhere"), default=False, help_text=_("Surveyed by phone or mail (S6).")
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="unit_number_unique")]
        indexes = [models.Index(fields=["number"], name="unit_number_idx")]
        permissions = [("import_estates", _("Can import buildings, units and residents from Excel"))]

    def __str__(self) -> str:
        # Never follows a foreign key (STYLE.md 16); pages show `label`, loaded by their selectors.
        return self.number

    @property
    def label(self) -> str:
        """小区 + 楼栋 + 房号; select_related("building__community") first, or it costs two queries."""
        return format_unit_label(self.building.community.name, self.building.name, self.number)


class ContactPreference(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message")
    VISIT = "visit", _("Home visit")
    MAIL = "mail", _("Letter")
    EMAIL = "email", _("Email")
    WECHAT = "wechat", _("WeChat")


class Resident(models.Model):
    office_path = "unit__building__community__office"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="residents", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_owner = models.BooleanField(_("owner"), default=True)
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=10, choices=ContactPreference.choices, default=ContactPreference.PHONE
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["unit", "name"]
        indexes = [models.Index(fields=["phone"], name="resident_phone_idx")]

    def __str__(self) -> str:
        return self.name


class DepartmentKind(models.TextChoices):
    QA = "qa", _("Quality management department")
    CUSTOMER_SERVICE = "customer_service", _("Customer service department")
    SECURITY = "security", _("Security department")
    ENGINEERING = "engineering", _("Engineering department")
    CLEANING = "cleaning", _("Cleaning and greening")
    MANAGEMENT = "management", _("Management")
    BUSINESS = "business", _("Business department")
    OTHER = "other", _("Other")


class Department(models.Model):
    """A department, at company level (office empty) or in one office."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="departments", verbose_name=_("company")
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="departments", verbose_name=_("office")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["office__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "office", "name"], name="department_name_unique"),
            models.UniqueConstraint(
                fields=["company", "name"], condition=Q(office__isnull=True), name="company_department_name_unique"
            ),
        ]

    def __str__(self) -> str:
        # Never follows a foreign key (STYLE.md 16): the work log listed 10 rows in 21 queries through this.
        return self.name

    @property
    def label(self) -> str:
        """Office and name ("科信 工程部"), or the name of a company department; select_related("office")."""
        return f"{self.office.name} {self.name}" if self.office_id else self.name


class User(AbstractUser):
    """A staff member. The membership — company, offices, department, role — lives on the user."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("company")
    )
    offices = models.ManyToManyField(Office, blank=True, related_name="staff", verbose_name=_("offices"))
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff", verbose_name=_("department")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    # The language of the emails this user receives (pages follow the browser and the language menu).
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default=DEFAULT_USER_LANGUAGE)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_company_wide(self) -> bool:
        """True for the roles that see every office of the company (QA, MR, assistant GM, admin)."""
        return self.role in COMPANY_ROLES
