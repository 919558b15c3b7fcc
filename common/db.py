"""Database helpers every app needs the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils.encoding import force_str

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


_CHOICE_LABELS: dict[object, dict] = {}


class ChoiceLabelsMixin:
    """`get_FOO_display()` translating only the label shown. Django's builds a dict of every choice per
    call, hashing each lazy label — that is, translating all of them (issue 10: a list of 25 complaints
    translated ~300 labels to show 50). The value → label map is built once per field."""

    def _get_FIELD_display(self, field):
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value: Django's way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
