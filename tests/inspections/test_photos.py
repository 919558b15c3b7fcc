"""Q1 evidence photos: EXIF (GPS position, camera) removed before storing, through the one metadata
stripper every app uses (common.attachments.without_metadata); shown only inside the office."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.images import image_bytes


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0x8825] = {1: "N", 2: (22.0, 32.0, 5.0), 3: "E", 4: (113.0, 56.0, 7.0)}  # GPS position
    return image_bytes("JPEG", size=(16, 12), exif=exif.tobytes())


def test_q1_evidence_photo_is_stored_without_gps_and_shown_only_in_the_office(
    client, check_a, qa, frontdesk_a, frontdesk_b
):
    from inspections.models import FindingPhoto
    from inspections.services.checks import finding_add

    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has a position
    finding = finding_add(check=check_a, by=qa, description="公告栏未公示服务承诺")
    client.force_login(qa)
    upload = SimpleUploadedFile("现场.jpg", original, content_type="image/jpeg")
    r = client.post(reverse("inspections:finding_photo_add", args=[finding.pk]), {"photo": upload})
    assert r.status_code == 302
    photo = FindingPhoto.objects.get()
    with photo.file.open("rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (16, 12)
    assert not image.getexif() and b"SecretPhone" not in data
    assert photo.size == len(data)
    assert photo.original_name == "现场.jpg" and "现场" not in photo.file.name

    fake = SimpleUploadedFile("evil.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    client.post(reverse("inspections:finding_photo_add", args=[finding.pk]), {"photo": fake})
    looks_like = SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff" + bytes(64), content_type="image/jpeg")
    client.post(reverse("inspections:finding_photo_add", args=[finding.pk]), {"photo": looks_like})
    assert FindingPhoto.objects.count() == 1

    client.force_login(frontdesk_a)
    shown = client.get(reverse("inspections:finding_photo", args=[photo.pk]))
    assert shown.status_code == 200 and shown["X-Content-Type-Options"] == "nosniff"
    client.force_login(frontdesk_b)
    assert client.get(reverse("inspections:finding_photo", args=[photo.pk])).status_code == 404
