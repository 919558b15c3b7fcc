"""Real image bytes for upload tests: attachments are re-encoded by Pillow (common.attachments), so a
file that only starts like a PNG is refused."""

from __future__ import annotations

import io


def image_bytes(fmt: str = "PNG", size=(8, 8), exif: bytes | None = None) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **options)
    return out.getvalue()


PNG = image_bytes("PNG")
