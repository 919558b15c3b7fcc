"""Subject hooks: what a process app keeps on its subject's row after the clock changed its deadlines.

The complaint list filters and sorts by the next due time, so the complaint row keeps it (issue 10:
the list's cost follows the page, not the ~44k live deadlines of a company). The complaints app
registers a hook in AppConfig.ready; the clock calls it after every `deadline_sync` and after a
`deadlines_recompute` moved one of the subject's deadlines, in the same transaction, with the
earliest due time of the subject's live deadlines (None when none is live). The clock imports no
process app: it knows the model class only through the registration.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Deadline, DeadlineState

SubjectHook = Callable[[models.Model, "datetime.datetime | None"], None]
_HOOKS: dict[type[models.Model], SubjectHook] = {}


def register_subject_hook(model: type[models.Model], hook: SubjectHook) -> None:
    """Call `hook(subject, next_due_at)` whenever the subject's live deadlines changed."""
    _HOOKS[model._meta.concrete_model] = hook


def next_due(subject_type: ContentType, subject_id: int) -> datetime.datetime | None:
    """The earliest due time of the subject's live (open or breached, unclosed) deadlines."""
    return Deadline.objects.filter(
        subject_type=subject_type,
        subject_id=subject_id,
        closed_at__isnull=True,
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    ).aggregate(m=models.Min("due_at"))["m"]


def run_hook(subject: models.Model) -> None:
    hook = _HOOKS.get(subject._meta.concrete_model)
    if hook is not None:
        hook(subject, next_due(ContentType.objects.get_for_model(subject), subject.pk))


def run_hooks_for(subjects: set[tuple[int, int]]) -> None:
    """The hooks of the subjects (content type id, subject id) whose deadlines a recompute moved,
    loaded once per type."""
    by_type: dict[int, list[int]] = {}
    for type_id, subject_id in subjects:
        by_type.setdefault(type_id, []).append(subject_id)
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or model._meta.concrete_model not in _HOOKS:
            continue
        for subject in model._default_manager.filter(pk__in=ids):
            run_hook(subject)
