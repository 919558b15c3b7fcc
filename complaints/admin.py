"""Admin: the company's complaint settings (C17 authority) are edited here; complaints and their
timeline are read-only (changes go through the services, the timeline is never edited)."""

from __future__ import annotations

from django.contrib import admin

from estates.admin_scoping import CompanyScopedAdmin, CompanyScopedInline

from .models import Complaint, ComplaintEvent, ComplaintSettings, MonthlySummary, QuarterlyAnalysis


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(CompanyScopedAdmin):
    list_display = ("company", "compensation_authority", "analysis_due_days")


class EventInline(CompanyScopedInline):
    model = ComplaintEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor", "kind", "from_state", "to_state", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(CompanyScopedAdmin):
    list_display = ("number", "office", "received_at", "channel", "complaint_class", "state")
    list_filter = ("state", "complaint_class", "channel", "office")
    search_fields = ("number",)
    list_select_related = ("office",)
    show_full_result_count = False
    inlines = [EventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnly(CompanyScopedAdmin):
    """C14/C15 records change only through their services (approval, publication)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MonthlySummary)
class MonthlySummaryAdmin(_ReadOnly):
    list_display = ("month", "department", "office", "state", "approved_by", "approved_at")
    list_filter = ("state", "month")
    list_select_related = ("department__office", "office", "approved_by")
    exclude = ("data",)


@admin.register(QuarterlyAnalysis)
class QuarterlyAnalysisAdmin(_ReadOnly):
    list_display = ("quarter", "company", "state", "published_by", "published_at")
    list_filter = ("state",)
    exclude = ("data",)
