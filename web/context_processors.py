from __future__ import annotations


def navigation(request):
    """Navigation by role and the unread count in the header. Filled in by the web app."""
    return {}
