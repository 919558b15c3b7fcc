"""Admin: the company's inspection settings (Q2 sample sizes) are edited here; checks and their
records are read-only (changes go through the services and their pages)."""

from __future__ import annotations

from django.contrib import admin

from estates.admin_scoping import CompanyScopedAdmin

from .models import Check, CheckStandard, InspectionSettings, RepairRecord, ServiceOffering


@admin.register(InspectionSettings)
class InspectionSettingsAdmin(CompanyScopedAdmin):
    list_display = ("company", "residents_per_sample", "items_per_sample")


class _ReadOnly(CompanyScopedAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CheckStandard)
class CheckStandardAdmin(_ReadOnly):
    list_display = ("name", "company", "period", "active")


@admin.register(Check)
class CheckAdmin(_ReadOnly):
    list_display = ("office", "standard", "period_start", "state", "score", "passed")
    list_filter = ("state", "period", "office")


@admin.register(RepairRecord)
class RepairRecordAdmin(_ReadOnly):
    list_display = ("office", "done_on", "what", "repairer")


@admin.register(ServiceOffering)
class ServiceOfferingAdmin(_ReadOnly):
    list_display = ("office", "kind", "name", "price", "promise", "active")
