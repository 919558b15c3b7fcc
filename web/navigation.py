"""The main menu as the shell renders it: the registry (common.navigation) filtered for the request's
user, and the shell's own default items. Process apps register their items through common.navigation
in their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.navigation import _REGISTRY, NavItem, allowed, register, register_default, registered, unregister

__all__ = [
    "GROUPS",
    "NavItem",
    "_REGISTRY",
    "items_for",
    "menu_for",
    "register",
    "register_defaults",
    "registered",
    "unregister",
]

# The drop-down menus of the bar (NavItem.group): label and icon. A group shows where its first item
# would have stood, and only when the user may see at least one of its items.
GROUPS: dict[str, dict[str, Any]] = {
    "new": {"label": pgettext_lazy("menu", "New"), "icon": "bi-plus-circle"},
    "more": {"label": pgettext_lazy("menu", "More"), "icon": "bi-three-dots"},
}


# Reversed menu URLs, per process (issue 10: eleven reverse() calls on every page for URLs that never
# change while the process runs). Keyed by the script prefix and the urlconf, which reverse() depends on.
_URLS: dict[tuple[str, str, object], str | None] = {}


def _url(url_name: str) -> str | None:
    key = (url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if key in _URLS:
        return _URLS[key]
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        # The app that owns this URL is not wired in (yet): hide the item, keep the page working.
        url = None
    _URLS[key] = url
    return url


def items_for(request: HttpRequest, items: Iterable[NavItem] | None = None) -> list[dict[str, Any]]:
    """The menu entries the current user may see, ready for the template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    entries = []
    for item in registered() if items is None else items:
        if not allowed(item, user):
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
                "short_label": item.short_label or item.label,
                "url": url,
                "icon": item.icon,
                "active": active,
                "badge": item.badge(request) if item.badge else None,
                "group": item.group if item.group in GROUPS else "",
            }
        )
    return entries


def menu_for(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bar as the navbar renders it: entries outside a group as they are, each group as one entry
    {"key": "group-…", "dropdown": True, "items": [...], "active": …} where its first item stood."""
    menu: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for entry in entries:
        name = entry["group"]
        if not name:
            menu.append(entry)
            continue
        group = groups.get(name)
        if group is None:
            group = {
                "key": f"group-{name}",
                "dropdown": True,
                "label": GROUPS[name]["label"],
                "icon": GROUPS[name]["icon"],
                "items": [],
                "active": False,
            }
            groups[name] = group
            menu.append(group)
        group["items"].append(entry)
        group["active"] = group["active"] or entry["active"]
    return menu


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
    register_default(item)


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
            short_label=pgettext_lazy("menu", "Units"),
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
            group="more",
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
            group="more",
        )
    )
    _default(
        NavItem(
            key="admin",
            label=_("Administration"),
            url_name="admin:index",
            icon="bi-gear",
            staff_only=True,
            order=90,
            group="more",
        )
    )
