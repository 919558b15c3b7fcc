"""Admin: the company's categories and the offices' state labels are edited here; the register,
archives and actions are records, read-only (they change through the services only)."""

from __future__ import annotations

from django.contrib import admin

from estates.admin_scoping import CompanyScopedAdmin

from .models import Category, CorrectiveAction, Entry, MonthlyArchive, Outreach, ResidentPage, StateLabel


@admin.register(Category)
class CategoryAdmin(CompanyScopedAdmin):
    list_display = ("label", "code", "company", "service_hours", "order", "active")
    list_filter = ("company", "active")
    list_editable = ("service_hours", "order", "active")


@admin.register(StateLabel)
class StateLabelAdmin(CompanyScopedAdmin):
    list_display = ("label", "meaning", "office", "active")
    list_filter = ("office", "meaning", "active")


class ReadOnlyAdmin(CompanyScopedAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("number", "office", "received_at", "channel", "kind", "state")
    list_filter = ("office", "channel", "kind", "state")
    list_select_related = ("office",)
    show_full_result_count = False


@admin.register(MonthlyArchive)
class MonthlyArchiveAdmin(ReadOnlyAdmin):
    list_display = ("month", "office", "state", "approved_at")
    list_filter = ("office", "state")


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyAdmin):
    list_display = ("title", "office", "source", "due_on", "state")
    list_filter = ("office", "source", "state")


@admin.register(Outreach)
class OutreachAdmin(ReadOnlyAdmin):
    list_display = ("kind", "office", "held_at", "state")
    list_filter = ("office", "kind", "state")


@admin.register(ResidentPage)
class ResidentPageAdmin(CompanyScopedAdmin):
    list_display = ("community", "key", "active")
    list_filter = ("active",)
    readonly_fields = ("key",)
