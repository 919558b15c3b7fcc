"""Context for every page: the menu by role, the unread count in the header, the language switch."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from estates.demo import demo_ribbon

from . import navigation as nav


def navigation(request: HttpRequest) -> dict:
    """settings.TEMPLATES names this: web.context_processors.navigation."""
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    nav_items = nav.items_for(request) if authenticated else []
    unread = 0
    if authenticated:
        # The inbox item's badge has usually counted already (and cached the count on the request).
        unread = getattr(request, "_tingjian_unread", None)
        if unread is None:
            from clock.selectors import unread_count

            unread = unread_count(user)
            request._tingjian_unread = unread  # type: ignore[attr-defined]
    return {
        # Every page, the login page included, says when the demo company is loaded (published logins).
        "demo_data": demo_ribbon(),
        "nav_items": nav_items,
        "nav_menu": nav.menu_for(nav_items),
        "unread_count": unread,
        "site_languages": settings.LANGUAGES,
    }
