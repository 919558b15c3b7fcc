"""Checks on an uploaded file before any app stores it: complaints' attachments, and the photos of
surveys and inspections.

The type is derived from the extension, never from the browser; the leading bytes of binary types must
match it (a renamed executable is refused); size is capped. The caller stores the file, photos first passed
through without_metadata(): a phone's photo carries its GPS position in EXIF (hardening issue, item 6).
Stored files are 0640 in 0750 folders (FILE_UPLOAD_PERMISSIONS), and the request body of an upload is
capped before it is read (common.middleware.RequestSizeLimitMiddleware).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

PHOTO_EXTENSIONS: Mapping[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
# Photos, scans and office documents.
ALLOWED_EXTENSIONS: Mapping[str, str] = {
    **PHOTO_EXTENSIONS,
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
}
# Leading bytes of the binary types: a renamed executable is refused.
_MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "application/pdf": (b"%PDF",),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
    "application/vnd.ms-excel": (b"\xd0\xcf\x11\xe0",),
    "application/vnd.ms-powerpoint": (b"\xd0\xcf\x11\xe0",),
}
_ZIP_TYPES = {".docx", ".xlsx", ".pptx"}


def safe_name(upload: UploadedFile) -> str:
    """The file's own name without any folder a browser sent, at most 200 characters."""
    return (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or "file"


def check_upload(
    upload: UploadedFile,
    *,
    allowed: Mapping[str, str] = ALLOWED_EXTENSIONS,
    max_bytes: int = MAX_ATTACHMENT_BYTES,
) -> tuple[str, str]:
    """(name, content type) of an acceptable upload; ValidationError with a translated message otherwise.

    `allowed=PHOTO_EXTENSIONS` accepts photos only (survey and inspection pictures).
    """
    name = safe_name(upload)
    ext = ("." + name.rsplit(".", 1)[1].lower()) if "." in name else ""
    if ext not in allowed:
        if allowed is PHOTO_EXTENSIONS:
            raise ValidationError(_("Only photos may be attached."))
        raise ValidationError(_("Only photos, PDF files and office documents may be attached."))
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("An attachment may be at most %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}
            if max_bytes != MAX_ATTACHMENT_BYTES
            else _("An attachment may be at most 10 MB.")
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    content_type = allowed[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    magic = _MAGIC.get(content_type)
    if ext in _ZIP_TYPES:
        magic = (b"PK\x03\x04",)
    if magic and not any(head.startswith(m) for m in magic):
        raise ValidationError(_("The file's content does not match its type."))
    return name, content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"


_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


def without_metadata(upload, content_type: str):
    """The photo re-encoded without EXIF, XMP or comments (turned upright first, as EXIF said); other files
    unchanged. An image Pillow cannot read (or a decompression bomb) is refused."""
    fmt = _PIL_FORMATS.get(content_type)
    if fmt is None:
        return upload
    import io

    from PIL import Image, ImageOps

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            frames = getattr(image, "n_frames", 1)
            if fmt == "GIF" or frames > 1:
                # Animated images: keep the frames, drop everything but the palette data.
                clean = image
                options = {"save_all": frames > 1}
            else:
                clean = ImageOps.exif_transpose(image)
                options = {}
            if fmt == "JPEG":
                options.update(quality=90, optimize=True)
                if clean.mode not in ("RGB", "L", "CMYK"):
                    clean = clean.convert("RGB")
            icc = image.info.get("icc_profile")
            if icc:
                options["icc_profile"] = icc  # colour, not personal data
            out = io.BytesIO()
            clean.save(out, format=fmt, **options)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The photo could not be read.")) from exc
    return ContentFile(out.getvalue(), name=safe_name(upload))
