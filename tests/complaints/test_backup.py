"""Hardening issue, operations: `make backup` / `make restore` round-trip — a restored backup holds every
complaint, deadline and attachment (SQLite online backup in embedded mode, pg_dump on PostgreSQL)."""

from __future__ import annotations

import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from clock.models import Deadline
from complaints.models import Attachment, Complaint, ComplaintEvent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path / "media"


def _snapshot():
    return {
        "complaints": sorted(Complaint.objects.values_list("pk", "content")),
        "deadlines": sorted(Deadline.objects.values_list("pk", "rule", "due_at")),
        "events": ComplaintEvent.objects.count(),
        "attachments": sorted(Attachment.objects.values_list("pk", "file", "original_name")),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_finds_every_complaint_deadline_and_attachment(
    media, tmp_path, make_complaint, frontdesk_a
):
    from complaints import services

    first = make_complaint(content="楼道灯不亮")
    make_complaint(content="电梯异响")
    services.attachment_add(complaint=first, by=frontdesk_a, file=SimpleUploadedFile("scan.pdf", PDF), note="扫描件")
    before = _snapshot()
    assert before["deadlines"] and before["attachments"]
    stored = Attachment.objects.get().file.name

    call_command("backup", "--output-dir", str(tmp_path / "backups"))
    (backup_dir,) = (tmp_path / "backups").iterdir()
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700

    # Disaster: rows and files are gone, and something new was written meanwhile. (Complaints themselves
    # cannot be deleted on PostgreSQL: their timelines are append-only, complaints 0011.)
    Attachment.objects.all().delete()
    Deadline.objects.all().delete()
    (media / stored).unlink()
    make_complaint(content="备份之后才登记")

    call_command("restore", str(backup_dir), "--noinput")

    assert _snapshot() == before
    assert (media / stored).read_bytes() == PDF
    assert not Complaint.objects.filter(content="备份之后才登记").exists()
