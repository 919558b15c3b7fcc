"""The main menu: a registry of items, filtered per request by role, permission and staff flag.

How a process app adds its own entry (complaints, surveys, ...): in its AppConfig.ready()::

    from django.utils.translation import gettext_lazy as _
    from web.navigation import NavItem, register

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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


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


_REGISTRY: dict[str, NavItem] = {}


def register(item: NavItem) -> NavItem:
    """Add (or replace, by key) a menu item. Safe to call more than once with the same item."""
    _REGISTRY[item.key] = item
    return item


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def registered() -> list[NavItem]:
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, i.key))


def _allowed(item: NavItem, user) -> bool:
    if item.staff_only and not user.is_staff:
        return False
    if item.roles is not None and getattr(user, "role", "") not in item.roles and not user.is_superuser:
        return False
    if item.permission and not user.has_perm(item.permission):
        return False
    return True


def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        # The app that owns this URL is not wired in (yet): hide the item, keep the page working.
        return None


def items_for(request: HttpRequest, items: Iterable[NavItem] | None = None) -> list[dict[str, Any]]:
    """The menu entries the current user may see, ready for the template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    entries = []
    for item in registered() if items is None else items:
        if not _allowed(item, user):
            continue
        url = _url(item.url_name)
        if url is None:
            continue
        if url == "/":
            active = path == "/"
        else:
            active = path.startswith(url) or any(path.startswith(p) for p in item.match_prefixes)
        entries.append(
            {
                "key": item.key,
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": active,
                "badge": item.badge(request) if item.badge else None,
            }
        )
    return entries


def _unread_badge(request: HttpRequest) -> int | None:
    # One count on the partial index of unread rows (clock.selectors.unread_count); cached on the
    # request so the header and the menu do not each ask.
    count = getattr(request, "_tingjian_unread", None)
    if count is None:
        from clock.selectors import unread_count

        count = unread_count(request.user)
        request._tingjian_unread = count  # type: ignore[attr-defined]
    return count or None


def _default(item: NavItem) -> None:
    # web is the last app to become ready: an app that registered the same key earlier overrides us.
    _REGISTRY.setdefault(item.key, item)


def register_defaults() -> None:
    """The menu of the foundation; called from WebConfig.ready()."""
    _default(NavItem(key="dashboard", label=_("Dashboard"), url_name="dashboard", icon="bi-speedometer2", order=10))
    _default(NavItem(key="inbox", label=_("Inbox"), url_name="inbox", icon="bi-bell", order=20, badge=_unread_badge))
    _default(
        NavItem(
            key="estates_units",
            label=_("Units and residents"),
            url_name="estates:units",
            icon="bi-building",
            permission="estates.view_unit",
            order=60,
        )
    )
    _default(
        NavItem(
            key="estates_import",
            label=_("Import"),
            url_name="estates:import",
            icon="bi-file-earmark-spreadsheet",
            permission="estates.import_estates",
            order=70,
        )
    )
    _default(
        NavItem(
            key="calendar",
            label=_("Working calendar"),
            url_name="clock:overview",
            icon="bi-calendar3",
            permission="clock.manage_calendar",
            order=80,
        )
    )
    _default(
        NavItem(
            key="admin", label=_("Administration"), url_name="admin:index", icon="bi-gear", staff_only=True, order=90
        )
    )
