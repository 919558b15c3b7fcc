"""Notes and attachments on the timeline (photos, scans; checked by common.attachments)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.attachments import check_upload, without_metadata
from estates.models import User

from ..models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    EventKind,
)
from ..rules import Action
from .core import add_event, check_action, claim_version


@transaction.atomic
def complaint_add_note(
    *,
    complaint: Complaint,
    by: User,
    note: str = "",
    files: list[UploadedFile] | tuple = (),
    file: UploadedFile | None = None,
) -> ComplaintEvent:
    """A line on the timeline with a note and/or attachments (photos, scans); `file` is the note
    form's one upload. A double submit is refused (compare-and-set on the complaint's version)."""
    check_action(by, complaint, Action.ADD_NOTE)
    files = [*files, file] if file else list(files)
    if not note.strip() and not files:
        raise ValidationError(_("Write a note or choose a file."))
    checked = [(f, *check_upload(f)) for f in files]
    claim_version(complaint)
    event = add_event(complaint, kind=EventKind.NOTE, actor=by, note=note.strip())
    for upload, name, content_type in checked:
        _save_attachment(complaint, by=by, upload=upload, name=name, content_type=content_type, event=event)
    return event


def _save_attachment(complaint, *, by, upload, name, content_type, event) -> Attachment:
    upload = without_metadata(upload, content_type)  # no GPS position in a downloaded photo
    attachment = Attachment(
        complaint=complaint,
        event=event,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_add(*, complaint: Complaint, by: User, file: UploadedFile, note: str = "") -> Attachment:
    """One attachment (size and type checked: photos, PDF, office documents; 10 MB)."""
    check_action(by, complaint, Action.ADD_NOTE)
    name, content_type = check_upload(file)
    claim_version(complaint)
    event = add_event(complaint, kind=EventKind.NOTE, actor=by, note=note.strip() or name)
    return _save_attachment(complaint, by=by, upload=file, name=name, content_type=content_type, event=event)
