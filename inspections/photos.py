"""Evidence photos without their metadata: EXIF (GPS position, camera, time) and similar blocks are
removed from the bytes before a photo is stored. Pure byte surgery, no imaging library: the picture
data is copied unchanged, only the metadata segments or chunks are dropped.

JPEG: APP1 (EXIF, XMP) and APP13 (IPTC) segments. PNG: eXIf and text chunks. WebP: EXIF and XMP
chunks (and their flags in VP8X). GIF carries no EXIF. Anything unparseable is refused, never stored
as it came."""

from __future__ import annotations

import struct

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_JPEG_DROP = {0xE1, 0xED}  # APP1 (EXIF/XMP), APP13 (IPTC)
_PNG_DROP = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
_WEBP_DROP = {b"EXIF", b"XMP "}


def _bad() -> ValidationError:
    return ValidationError(_("This photo could not be read."))


def _jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise _bad()
    out = bytearray(b"\xff\xd8")
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            raise _bad()
        marker = data[i + 1] if i + 1 < len(data) else None
        if marker is None:
            raise _bad()
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan / end of image: the rest is picture data
            out += data[i:]
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out += data[i : i + 2]
            i += 2
            continue
        if i + 4 > len(data):
            raise _bad()
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        end = i + 2 + length
        if length < 2 or end > len(data):
            raise _bad()
        if marker not in _JPEG_DROP:
            out += data[i:end]
        i = end
    raise _bad()


def _png(data: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise _bad()
    out = bytearray(signature)
    i = len(signature)
    while i < len(data):
        if i + 8 > len(data):
            raise _bad()
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(data):
            raise _bad()
        if kind not in _PNG_DROP:
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise _bad()


def _webp(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise _bad()
    chunks = bytearray()
    i = 12
    while i < len(data):
        if i + 8 > len(data):
            raise _bad()
        kind = data[i : i + 4]
        (length,) = struct.unpack("<I", data[i + 4 : i + 8])
        end = i + 8 + length + (length & 1)
        if end > len(data) + (length & 1):
            raise _bad()
        chunk = bytearray(data[i:end])
        if kind == b"VP8X" and len(chunk) > 8:
            chunk[8] &= ~0x0C & 0xFF  # clear the EXIF (0x08) and XMP (0x04) flags
        if kind not in _WEBP_DROP:
            chunks += chunk
        i = end
    return b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WEBP" + bytes(chunks)


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """The photo's bytes without EXIF and similar metadata (see the module docstring)."""
    if content_type == "image/jpeg":
        return _jpeg(data)
    if content_type == "image/png":
        return _png(data)
    if content_type == "image/webp":
        return _webp(data)
    if content_type == "image/gif":
        return data
    raise ValidationError(_("Only photos (JPEG, PNG, WebP, GIF) can be attached as evidence."))
