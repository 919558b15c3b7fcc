"""What every survey view shares: running a service and showing its error as a message
(common.views does the work)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from common.views import error_text, run_service

__all__ = ["error_text", "page_querystring", "run"]


def run(request: HttpRequest, fn: Callable, success: str = "", **kwargs) -> bool:
    """Call a service with keyword arguments; a ValidationError becomes an error message."""
    return run_service(request, lambda: fn(**kwargs), success=success or None)


def page_querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
