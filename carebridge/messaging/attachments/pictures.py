"""Pictures are measured from their header before they are decoded, decoded at a bounded size,
turned upright and re-encoded from their pixels alone.

- Above `CAREBRIDGE_ATTACHMENT_MAX_PIXELS` (50 megapixels: a 48-megapixel phone photo passes, a
  decompression bomb does not) a picture is refused before any pixel is decoded.
- A JPEG is decoded straight at a reduced scale (`Image.draft`, the decoder's own 1/2, 1/4,
  1/8 scaling), so a large photo never costs its full size in memory; any picture is then
  reduced to at most `CAREBRIDGE_ATTACHMENT_MAX_SIDE` pixels on its long side before it is
  converted and encoded again.
- What is stored carries no EXIF (camera, place, time), no text chunks, no colour profile and
  nothing appended after the image.
"""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from carebridge.messaging.attachments.errors import AttachmentError

JPEG = "image/jpeg"
PNG = "image/png"
DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def reencode_image(shown: str, data: bytes, content_type: str) -> bytes:
    """Decode the picture within the pixel limit, at a bounded size, and write it again from
    its pixels alone. Privacy rule: nothing but the pixels reaches the stored file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                _check_pixels(shown, image)
                return encode(_decode_bounded(image), content_type)
    except AttachmentError:
        raise
    except DECODE_ERRORS:
        raise AttachmentError(
            _("“%(name)s” could not be read as an image. It may be damaged.") % {"name": shown},
            code="damaged",
        ) from None


def _check_pixels(shown: str, image: Image.Image) -> None:
    """Refuse from the header alone, before a single pixel is decoded."""
    width, height = image.size
    max_pixels = settings.CAREBRIDGE_ATTACHMENT_MAX_PIXELS
    if width * height > max_pixels:
        raise AttachmentError(
            _(
                "“%(name)s” is too large a picture (more than %(pixels)s "
                "megapixels). Please attach a smaller one."
            )
            % {"name": shown, "pixels": max_pixels // 1_000_000},
            code="too_many_pixels",
        )


def _decode_bounded(image: Image.Image) -> Image.Image:
    """Decode at most about twice the stored size on each side, then reduce to the stored size.

    The draft asks for half the stored long side, so the JPEG decoder picks the smallest scale
    that is still at least that big: the decoded picture is never much over the stored size."""
    side = settings.CAREBRIDGE_ATTACHMENT_MAX_SIDE
    if image.format == "JPEG" and max(image.size) > side:
        image.draft("RGB", _fit(image.size, side // 2))
    image.load()
    if max(image.size) > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    # In place: a picture already at its stored size is not copied once more.
    ImageOps.exif_transpose(image, in_place=True)
    return image


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size that keeps the picture's shape with `side` pixels on its long side."""
    width, height = size
    scale = side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def encode(image: Image.Image, content_type: str) -> bytes:
    """Only the pixels: `info` (EXIF, ICC profile, comment, text) is emptied, so the encoder
    has nothing but pixels to write, and nothing follows the image's end."""
    mode = "RGB" if content_type == JPEG else ("RGBA" if "A" in image.getbands() else "RGB")
    clean = image if image.mode == mode else image.convert(mode)
    clean.info = {}
    out = io.BytesIO()
    if content_type == JPEG:
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()
