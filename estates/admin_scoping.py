"""The Django admin, scoped to the admin's company (hardening issue, operations).

A staff user who belongs to a company sees, edits and picks (foreign-key dropdowns, raw-id lookups)
only that company's rows. Only a superuser without a company (the installation's operator) sees every
company. Every ModelAdmin of the product derives from CompanyScopedAdmin; the working-time calendar is
installation-wide by design (clock.models) and says so with company_path = None.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.db.models import Model, QuerySet

from .models import Company, User


def admin_company_id(user) -> int | None:
    """The company a staff user's admin is limited to; None: unlimited (superuser without a company)."""
    company_id = getattr(user, "company_id", None)
    if company_id is None and getattr(user, "is_superuser", False):
        return None
    return company_id or -1  # staff without a company: nothing


def company_path_for(model: type[Model]) -> str | None:
    """The lookup from `model` to its company, or None when the model belongs to no company."""
    if model is Company:
        return "pk"
    if model is User:
        return "company"
    names = {f.name for f in model._meta.get_fields()}
    if "company" in names:
        return "company"
    office_path = getattr(model, "office_path", None)
    if office_path:
        return "company" if office_path == "pk" else f"{office_path}__company"
    if "office" in names:
        return "office__company"
    if "recipient" in names:  # a notification belongs to its recipient's company
        return "recipient__company"
    return None


def limit_to_company(queryset: QuerySet, user) -> QuerySet:
    company_id = admin_company_id(user)
    path = company_path_for(queryset.model)
    if company_id is None or path is None:
        return queryset
    return queryset.filter(**{path: company_id})


class CompanyRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A sidebar filter listing only the admin's company's offices, departments, users..."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        queryset = limit_to_company(field.remote_field.model._default_manager.all(), request.user)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


class CompanyScopedAdmin(admin.ModelAdmin):
    """Rows, sidebar filters, dropdowns and raw-id choices limited to the admin's company."""

    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and get_fields_from_path(self.model, item)[-1].is_relation:
                item = (item, CompanyRelatedFieldListFilter)
            filters.append(item)
        return filters

    def get_queryset(self, request):
        return limit_to_company(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = limit_to_company(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = limit_to_company(field.queryset, request.user)
        return field


class CompanyScopedInline(admin.TabularInline):
    """Inline rows already belong to the scoped parent; their dropdowns are limited the same way."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = limit_to_company(field.queryset, request.user)
        return field
