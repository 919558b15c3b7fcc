"""Office scoping, in one place (STYLE.md 3).

A user sees and touches only the records of their own offices; the company roles see every office of
their company. Every list, count, search, dropdown, export and object view goes through here.

Each scoped model names the path from itself to its office in `office_path` ("office" when it has an
`office` foreign key, "unit__building__community__office" for a resident, ...).
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Office, User

M = TypeVar("M", bound=Model)


def offices_for(user: User) -> QuerySet[Office]:
    """The offices whose records `user` may see."""
    if not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    if user.is_company_wide and user.company_id:
        return Office.objects.filter(company_id=user.company_id)
    return user.offices.all()


def office_ids_for(user: User) -> list[int]:
    """Office ids as a list, computed once per request (cached on the user object)."""
    cached = getattr(user, "_tingjian_office_ids", None)
    if cached is None:
        cached = list(offices_for(user).values_list("pk", flat=True))
        user._tingjian_office_ids = cached  # type: ignore[attr-defined]
    return cached


def remember_office_ids(user: User, offices) -> None:
    """Fill office_ids_for's per-request cache from offices already read — which must be exactly
    offices_for(user) (the list's office select, issue 10: one query for the select and the scope)."""
    if getattr(user, "_tingjian_office_ids", None) is None:
        user._tingjian_office_ids = [o.pk for o in offices]  # type: ignore[attr-defined]


def office_path(model: type[Model]) -> str:
    path = getattr(model, "office_path", None)
    if path is None:
        if model is Office:
            return "pk"
        raise TypeError(f"{model.__name__} has no office_path; it cannot be scoped")
    return path


def scoped(queryset: QuerySet[M], user: User) -> QuerySet[M]:
    """Restrict `queryset` to the offices of `user`."""
    path = office_path(queryset.model)
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    return queryset.filter(**{lookup: office_ids_for(user)})


def get_for_user(queryset: QuerySet[M] | type[M], user: User, **lookup) -> M:
    """The one object matching `lookup` inside the user's offices, or Http404 (never 403: an
    outsider must not learn that the object exists)."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    try:
        return scoped(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def user_can_see_office(user: User, office_id: int | None) -> bool:
    return office_id is not None and office_id in office_ids_for(user)
