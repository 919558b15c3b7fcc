"""View helpers shared by every app: run one service call, and turn its ValidationError into a message
for the next page (STYLE.md 9: views parse, call one service, render or redirect)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def error_text(exc: ValidationError) -> str:
    """All messages of a ValidationError as one line (field errors included)."""
    return " ".join(str(m) for m in exc.messages)


def run_service(request: HttpRequest, call: Callable[[], Any], *, success: str | None = None) -> bool:
    """Call `call()`; on ValidationError put its text in an error message and answer False, otherwise
    put `success` (if given) in a success message and answer True. The caller redirects either way."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    if success:
        messages.success(request, success)
    return True
