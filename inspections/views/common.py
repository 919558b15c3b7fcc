"""Small helpers shared by the inspection views."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone

from common.views import error_text, run_service

__all__ = ["error_text", "form_errors", "run", "this_month"]


def run(request: HttpRequest, action: Callable[[], Any], success: str | None = None) -> bool:
    """Call one service; show its validation error as a message. True when it succeeded."""
    return run_service(request, action, success=success)


def form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)
