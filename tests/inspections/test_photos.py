"""Q1 evidence photos: EXIF (GPS) and other metadata removed before storing; picture data unchanged."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError

from inspections.photos import strip_metadata

GPS = b"Exif\x00\x00MM\x00*GPSLatitude 22.54N GPSLongitude 114.05E"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def test_q1_jpeg_exif_and_iptc_are_removed_picture_kept():
    jfif = _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    quant = _segment(0xDB, b"\x00" + bytes(64))
    scan = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00" + b"\x12\x34\xff\x00\x56" + b"\xff\xd9"
    photo = b"\xff\xd8" + jfif + _segment(0xE1, GPS) + _segment(0xED, b"Photoshop 3.0\x00IPTC") + quant + scan
    clean = strip_metadata(photo, "image/jpeg")
    assert b"GPSLatitude" not in clean and b"IPTC" not in clean
    assert clean == b"\xff\xd8" + jfif + quant + scan


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def test_q1_png_exif_and_text_chunks_are_removed():
    ihdr = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    idat = _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    iend = _chunk(b"IEND", b"")
    photo = b"\x89PNG\r\n\x1a\n" + ihdr + _chunk(b"eXIf", GPS) + _chunk(b"tEXt", b"Author\x00me") + idat + iend
    clean = strip_metadata(photo, "image/png")
    assert clean == b"\x89PNG\r\n\x1a\n" + ihdr + idat + iend


def test_q1_webp_exif_chunk_and_flag_are_removed():
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes([0x08]) + bytes(9)
    exif = b"EXIF" + struct.pack("<I", len(GPS)) + GPS + (b"\x00" if len(GPS) % 2 else b"")
    vp8 = b"VP8 " + struct.pack("<I", 4) + b"abcd"
    body = b"WEBP" + vp8x + exif + vp8
    clean = strip_metadata(b"RIFF" + struct.pack("<I", len(body)) + body, "image/webp")
    assert b"GPSLatitude" not in clean
    assert clean[20] & 0x08 == 0
    assert clean.endswith(vp8) and struct.unpack("<I", clean[4:8])[0] == len(clean) - 8


def test_q1_unreadable_or_non_photo_is_refused():
    with pytest.raises(ValidationError):
        strip_metadata(b"\xff\xd8\xff\xe1\x00", "image/jpeg")
    with pytest.raises(ValidationError):
        strip_metadata(b"%PDF-1.4", "application/pdf")


def _jpeg_with_gps() -> bytes:
    jfif = _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    scan = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00" + b"\x12\x34" + b"\xff\xd9"
    return b"\xff\xd8" + jfif + _segment(0xE1, GPS) + scan


def test_q1_evidence_photo_is_stored_without_gps_and_shown_only_in_the_office(
    client, check_a, qa, frontdesk_a, frontdesk_b
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from inspections.models import FindingPhoto
    from inspections.services.checks import finding_add

    finding = finding_add(check=check_a, by=qa, description="公告栏未公示服务承诺")
    client.force_login(qa)
    upload = SimpleUploadedFile("现场.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    r = client.post(reverse("inspections:finding_photo_add", args=[finding.pk]), {"photo": upload})
    assert r.status_code == 302
    photo = FindingPhoto.objects.get()
    with photo.file.open("rb") as stored:
        data = stored.read()
    assert b"GPSLatitude" not in data and data.startswith(b"\xff\xd8")
    assert photo.original_name == "现场.jpg" and "现场" not in photo.file.name

    fake = SimpleUploadedFile("evil.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    client.post(reverse("inspections:finding_photo_add", args=[finding.pk]), {"photo": fake})
    assert FindingPhoto.objects.count() == 1

    client.force_login(frontdesk_a)
    shown = client.get(reverse("inspections:finding_photo", args=[photo.pk]))
    assert shown.status_code == 200 and shown["X-Content-Type-Options"] == "nosniff"
    client.force_login(frontdesk_b)
    assert client.get(reverse("inspections:finding_photo", args=[photo.pk])).status_code == 404
