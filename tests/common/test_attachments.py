"""common.attachments: the checks every app runs on an upload before storing it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from common.attachments import PHOTO_EXTENSIONS, check_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_a_photo_passes_with_the_type_of_its_extension():
    assert check_upload(SimpleUploadedFile("dir/门口.png", PNG, content_type="text/html")) == ("门口.png", "image/png")


def test_a_renamed_executable_is_refused():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 32))


def test_photos_only_refuses_a_pdf():
    with pytest.raises(ValidationError) as info:
        check_upload(SimpleUploadedFile("scan.pdf", b"%PDF-1.4 " + b"\x00" * 32), allowed=PHOTO_EXTENSIONS)
    assert "Only photos may be attached." in info.value.messages or "只能上传照片。" in info.value.messages


def test_size_is_capped():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("a.png", PNG), max_bytes=8)
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("a.png", b""))
