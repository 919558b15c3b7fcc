"""What every survey view shares: running a service and showing its error as a message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def run(request: HttpRequest, fn: Callable, success: str = "", **kwargs) -> bool:
    """Call a service; a ValidationError becomes an error message. True when it succeeded."""
    try:
        fn(**kwargs)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    if success:
        messages.success(request, success)
    return True


def page_querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
