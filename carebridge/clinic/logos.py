"""Checking and re-encoding a clinic's logo before it is stored.

Only PNG, JPEG and WebP pictures are taken, told apart by their first bytes (never by the name
or the browser's word). The picture is measured from its header before any pixel is decoded,
decoded, turned upright, shrunk to at most `LOGO_MAX_SIDE` pixels on its long side and written
again as PNG from its pixels alone: no EXIF, text chunks, colour profile or trailing bytes.
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 1000
# Refused from the header alone: a logo has no need of more, and a decompression bomb has.
LOGO_MAX_PIXELS = 25_000_000
_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
}
_DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _kind(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return next((kind for sig, kind in _SIGNATURES.items() if data.startswith(sig)), None)


def logo_png(data: bytes) -> bytes:
    """The logo re-encoded as PNG, or `ValidationError` with a message for the administrator."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo file is too large. Choose one of at most 2 MB."), code="too_large"
        )
    kind = _kind(data)
    if kind is None:
        raise ValidationError(
            _("The logo must be a PNG, JPEG or WebP picture. This file is not one."),
            code="wrong_type",
        )
    try:
        return _reencode(data, kind)
    except ValidationError:
        raise
    except _DECODE_ERRORS:
        raise ValidationError(
            _("The logo could not be read as a picture. It may be damaged."), code="damaged"
        ) from None


def _reencode(data: bytes, kind: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    _("The logo has too many pixels. Choose a smaller picture."),
                    code="too_many_pixels",
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
    upright.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE), Image.Resampling.LANCZOS)
    mode = "RGBA" if "A" in upright.getbands() or "transparency" in upright.info else "RGB"
    clean = upright.convert(mode)
    # Only the pixels are written: `info` holds EXIF, ICC profiles and text chunks.
    clean.info = {}
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()
