"""Django admin for the clock. Deadlines and events are read-mostly: their states move only through
clock.services and the sweeper (compare-and-set), never by hand-editing a row."""

from __future__ import annotations

from django.contrib import admin

from estates.admin_scoping import CompanyScopedAdmin, CompanyScopedInline

from .models import CalendarDay, CalendarSettings, CalendarYear, Deadline, DeadlineEvent, Notification


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(CompanyScopedAdmin):
    list_display = ("__str__", "periods", "warn_fraction", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")


@admin.register(CalendarDay)
class CalendarDayAdmin(CompanyScopedAdmin):
    list_display = ("date", "kind", "source", "note", "changed_by", "changed_at")
    list_filter = ("source", "kind")
    date_hierarchy = "date"
    search_fields = ("note",)
    readonly_fields = ("changed_by", "changed_at")


@admin.register(CalendarYear)
class CalendarYearAdmin(CompanyScopedAdmin):
    list_display = ("year", "entered_by", "entered_at", "source_note")
    readonly_fields = ("entered_by", "entered_at")


class DeadlineEventInline(CompanyScopedInline):
    model = DeadlineEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "created_at", "notified_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(CompanyScopedAdmin):
    list_display = ("rule", "title", "office", "responsible_user", "responsible_role", "due_at", "state", "provisional")
    list_filter = ("state", "rule", "provisional", "office")
    search_fields = ("title", "subject_id")
    date_hierarchy = "due_at"
    list_select_related = ("office", "responsible_user")
    inlines = [DeadlineEventInline]
    show_full_result_count = False  # no count(*) of millions of rows on every page (DESIGN.md "Scale")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(CompanyScopedAdmin):
    list_display = ("title", "recipient", "created_at", "read_at", "email_state", "email_attempts", "email_next_try_at")
    list_filter = ("email_state",)
    search_fields = ("title", "key", "recipient__username")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "deadline")
    show_full_result_count = False
    readonly_fields = ("key", "created_at", "email_claimed_at", "email_sent_at", "email_attempts")
