"""Admin: the company's survey settings (S3 policy, S8 threshold, proxy cap, double entry) are edited
here; rounds, answers and letters are read-only (changes go through the services and their pages)."""

from __future__ import annotations

from django.contrib import admin

from estates.admin_scoping import CompanyScopedAdmin

from .models import OpenLetter, Questionnaire, SurveyRound, SurveySettings


@admin.register(SurveySettings)
class SurveySettingsAdmin(CompanyScopedAdmin):
    list_display = ("company", "sample_policy", "return_threshold", "proxy_cap", "double_entry")


class ReadOnlyAdmin(CompanyScopedAdmin):
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyRound)
class SurveyRoundAdmin(ReadOnlyAdmin):
    list_display = ("office", "community", "year", "half", "state", "required_size")
    list_filter = ("state", "year", "half", "office")
    list_select_related = ("office", "community")


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    list_display = ("title", "company", "family", "version", "is_default", "frozen_at")


@admin.register(OpenLetter)
class OpenLetterAdmin(ReadOnlyAdmin):
    list_display = ("title", "round", "state", "posted_at")
    list_select_related = ("round",)
