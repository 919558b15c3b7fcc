"""Hardening issue, item 6: attachments are stored 0640 in 0750 folders, photos lose their EXIF (GPS
position) on upload, and an oversized request body is refused before it is read."""

from __future__ import annotations

import io
import stat

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints import services
from complaints.models import Attachment
from tests.images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def disk(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path / "media"


def _gps_photo() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0x8825] = {1: "N", 2: (22.0, 32.0, 5.0), 3: "E", 4: (113.0, 56.0, 7.0)}  # GPS position
    return image_bytes("JPEG", size=(16, 12), exif=exif.tobytes())


def test_a_photo_loses_its_exif_and_gps_position(frozen, disk, make_complaint, cs_a, client_a):
    original = _gps_photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has a position
    complaint = make_complaint()
    attachment = services.attachment_add(
        complaint=complaint, by=cs_a, file=SimpleUploadedFile("现场.jpg", original, "image/jpeg")
    )
    stored = (disk / attachment.file.name).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.size == (16, 12)
    assert not image.getexif()
    assert b"SecretPhone" not in stored and b"PhoneMaker" not in stored
    downloaded = b"".join(
        client_a.get(reverse("complaints:attachment_download", args=[complaint.pk, attachment.pk])).streaming_content
    )
    assert downloaded == stored
    assert attachment.size == len(stored)


def test_a_file_that_only_looks_like_a_photo_is_refused(frozen, make_complaint, cs_a):
    fake = b"\xff\xd8\xff" + b"\x00" * 64
    with pytest.raises(ValidationError):
        services.attachment_add(complaint=make_complaint(), by=cs_a, file=SimpleUploadedFile("x.jpg", fake))
    assert not Attachment.objects.exists()


def test_stored_files_are_0640_in_0750_folders(frozen, disk, make_complaint, cs_a):
    attachment = services.attachment_add(
        complaint=make_complaint(), by=cs_a, file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    path = disk / attachment.file.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o750


class _Unreadable:
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the oversized body was read")

    readline = read


def test_an_oversized_upload_is_refused_before_its_body_is_read(frozen, client_a, make_complaint):
    complaint = make_complaint()
    response = client_a.post(
        reverse("complaints:act_note", args=[complaint.pk]),
        {"note": "大文件"},
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    assert "tj-error" in response.content.decode()
    assert not Attachment.objects.exists()
