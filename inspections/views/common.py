"""Small helpers shared by the inspection views."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def run(request: HttpRequest, action: Callable[[], Any], success: str | None = None) -> bool:
    """Call one service; show its validation error as a message. True when it succeeded."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    if success:
        messages.success(request, success)
    return True


def form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)
