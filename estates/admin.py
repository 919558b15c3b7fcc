"""Django admin for the reference data (foundation issue, section 3).

Lists that grow with the company (units, residents, staff) search by indexed columns, join what they
show (list_select_related) and use raw-id widgets instead of dropdowns of every unit.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .admin_scoping import CompanyScopedAdmin, CompanyScopedInline, admin_company_id
from .models import Building, Community, Company, Department, Office, Resident, Unit, User


@admin.register(Company)
class CompanyAdmin(CompanyScopedAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]


@admin.register(Office)
class OfficeAdmin(CompanyScopedAdmin):
    list_display = ["name", "code", "company", "phone"]
    list_filter = ["company"]
    list_select_related = ["company"]
    search_fields = ["name", "code"]


@admin.register(Community)
class CommunityAdmin(CompanyScopedAdmin):
    list_display = ["name", "office", "occupied_on", "households", "standalone"]
    list_filter = ["office", "standalone"]
    list_select_related = ["office"]
    search_fields = ["name", "office__name"]
    date_hierarchy = "occupied_on"


@admin.register(Building)
class BuildingAdmin(CompanyScopedAdmin):
    list_display = ["name", "community", "office"]
    list_filter = ["community__office", "community"]
    list_select_related = ["community__office"]
    search_fields = ["name", "community__name"]
    raw_id_fields = ["community"]

    @admin.display(description=_("office"), ordering="community__office__name")
    def office(self, obj: Building):
        return obj.community.office


class ResidentInline(CompanyScopedInline):
    model = Resident
    extra = 0
    fields = ["name", "phone", "email", "is_owner", "preferred_contact"]


@admin.register(Unit)
class UnitAdmin(CompanyScopedAdmin):
    list_display = ["unit_label", "floor", "occupied", "owner_absent"]
    list_filter = ["occupied", "owner_absent", "building__community__office", "building__community"]
    list_select_related = ["building__community"]
    search_fields = ["number", "building__name", "building__community__name"]
    raw_id_fields = ["building"]
    inlines = [ResidentInline]
    show_full_result_count = False  # no count of the whole table on every page (DESIGN.md, Scale)

    @admin.display(description=_("unit"), ordering="number")
    def unit_label(self, obj: Unit) -> str:
        return obj.label


@admin.register(Resident)
class ResidentAdmin(CompanyScopedAdmin):
    list_display = ["name", "unit_label", "phone", "is_owner", "preferred_contact"]
    list_filter = ["is_owner", "preferred_contact", "unit__building__community__office"]
    list_select_related = ["unit__building__community"]
    search_fields = ["name", "=phone", "unit__number"]
    raw_id_fields = ["unit"]
    show_full_result_count = False
    actions = ["export_personal_data", "erase_personal_data"]

    @admin.display(description=_("unit"), ordering="unit__number")
    def unit_label(self, obj: Resident) -> str:
        return obj.unit.label

    # PIPL (issue 9): a resident asks for their personal data, or for it to be erased.

    @admin.action(description=_("Export the personal data of the selected residents"))
    def export_personal_data(self, request, queryset):
        from common.xlsx import xlsx_response

        from .services import resident_personal_data_workbook

        residents = list(queryset.select_related("unit__building__community"))
        return xlsx_response(resident_personal_data_workbook(residents=residents), f"{_('Personal data')}.xlsx")

    @admin.action(description=_("Erase the personal data of the selected residents (their figures stay)"))
    def erase_personal_data(self, request, queryset):
        from django.template.response import TemplateResponse

        from .services import resident_erase_personal_data

        residents = list(queryset.select_related("unit__building__community"))
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/estates/resident/erase_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Erase personal data"),
                    "residents": residents,
                    "action": "erase_personal_data",
                    "opts": self.model._meta,
                },
            )
        for resident in residents:
            changed = resident_erase_personal_data(resident=resident)
            self.log_change(request, resident, f"personal data erased: {changed}")
        self.message_user(
            request,
            _("Personal data of %(n)d residents erased; their complaints' figures stay.") % {"n": len(residents)},
        )
        return None


@admin.register(Department)
class DepartmentAdmin(CompanyScopedAdmin):
    list_display = ["name", "kind", "office", "company"]
    list_filter = ["kind", "company", "office"]
    list_select_related = ["office", "company"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(CompanyScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "role", "company", "department", "is_active", "is_staff"]
    list_filter = ["role", "company", "offices", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["company", "department__office"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email", "phone"]
    filter_horizontal = ["offices", "groups", "user_permissions"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email", "phone")}),
        (_("Membership"), {"fields": ("company", "offices", "department", "role")}),
        *DjangoUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Membership"), {"fields": ("display_name", "company", "offices", "department", "role")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The role decides the permissions: keep the user in exactly their role's group
        # (estates.roles), as estates.services does for staff created in code.
        from .services import staff_sync_role_group

        user = form.instance
        if user.role:
            staff_sync_role_group(user=user, role=user.role)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(DjangoGroupAdmin):
    """The role groups are shared by every company of the installation (estates.roles keeps them): a
    company's admin may look, only the installation's operator may change them."""

    def _operator(self, request) -> bool:
        return admin_company_id(request.user) is None

    def has_add_permission(self, request) -> bool:
        return self._operator(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._operator(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._operator(request) and super().has_delete_permission(request, obj)
