"""Database helpers every app needs the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction

T = TypeVar("T")


def create_once(create: Callable[[], T], reread: Callable[[], T | None]) -> tuple[T, bool]:
    """Insert through `create()` in a savepoint; when a unique constraint says a concurrent request (or beat
    firing twice, or a double submit) inserted the same thing first, answer that row through `reread()`.

    Returns (row, created). Re-raises the IntegrityError when `reread()` finds nothing (another constraint
    failed). `create` runs inside the savepoint, so whatever it writes besides the row is rolled back too.
    """
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = reread()
        if existing is None:
            raise
        return existing, False
