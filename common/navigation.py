"""The main menu's types and registry: items filtered per request by role, permission and staff flag
(the filtering and rendering live in web.navigation and the shell's templates).

How a process app adds its own entry (complaints, surveys, ...): in its AppConfig.ready()::

    from django.utils.translation import gettext_lazy as _
    from common.navigation import NavItem, register

    register(NavItem(key="complaints", label=_("Complaints"), url_name="complaints:list",
                     icon="bi-megaphone", permission="complaints.view_complaint", order=30))

Rules:
- `key` is unique; registering the same key again replaces the earlier item (ready() may run twice
  in tests and management commands, and an app may override a default on purpose).
- `url_name` is reversed at request time; an item whose URL does not resolve (its app's urls are not
  included yet) is left out instead of breaking every page.
- `permission` ("app_label.codename"), `roles` (Role values) and `staff_only` restrict who sees it;
  all given conditions must hold. Permissions come from the role groups (estates.roles), so granting a
  role a permission there is what puts the item in that role's menu.
- `badge` is an optional callable (request -> int | None) for a count; keep it to one indexed query.
- `order` sorts the menu (lower first); the defaults use 10, 20, ..., so apps can slot in between.
- `group` puts the item in one of the shell's drop-down menus instead of the bar (web.navigation.GROUPS:
  "new" for the forms that log something, "more" for what a role opens rarely), so the bar stays on one
  line at 1366 px in both languages (issue 9). An unknown group is shown in the bar.
- `short_label`, when given, is what the bar shows (the full `label` is its tooltip and accessible name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any  # a lazy translation string
    url_name: str
    icon: str = ""
    permission: str | None = None
    roles: frozenset[str] | None = None
    staff_only: bool = False
    order: int = 100
    badge: Callable[[HttpRequest], int | None] | None = None
    # Extra URL prefixes that count as "inside" this item for highlighting (besides its own URL).
    match_prefixes: tuple[str, ...] = field(default_factory=tuple)
    group: str = ""
    short_label: Any = None


_REGISTRY: dict[str, NavItem] = {}


def register(item: NavItem) -> NavItem:
    """Add (or replace, by key) a menu item. Safe to call more than once with the same item."""
    _REGISTRY[item.key] = item
    return item


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def registered() -> list[NavItem]:
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, i.key))


def allowed(item: NavItem, user) -> bool:
    """Whether `user` may see `item` (all of its conditions hold)."""
    if item.staff_only and not user.is_staff:
        return False
    if item.roles is not None and getattr(user, "role", "") not in item.roles and not user.is_superuser:
        return False
    if item.permission and not user.has_perm(item.permission):
        return False
    return True


def register_default(item: NavItem) -> None:
    """Register unless an app already registered this key (the shell's defaults yield to the apps')."""
    _REGISTRY.setdefault(item.key, item)
