"""Reads of export jobs, scoped to their owner (STYLE.md 3)."""

from __future__ import annotations

import uuid

from django.http import Http404

from .models import ExportJob


def export_for_user(user, token: uuid.UUID) -> ExportJob | None:
    """The user's own export with this token; None when no export has it (expired and deleted); Http404
    when it is someone else's: an export is its requester's alone, whatever their office or role."""
    job = ExportJob.objects.filter(token=token).first()
    if job is not None and job.user_id != user.pk:
        raise Http404
    return job
