"""Checking a file attached to a message before anything of the message is saved.

- **Type from the content, never the name:** a PDF starts with `%PDF-`, a JPEG with `FF D8 FF`, a
  PNG with its 8-byte signature. Anything else is refused, whatever it is called.
- **Size:** at most `CAREBRIDGE_ATTACHMENT_MAX_BYTES` (10 MB). How many per message
  (`CAREBRIDGE_ATTACHMENTS_PER_MESSAGE`) is checked by the message's form and service.
- **PDFs** are refused when they hold anything that could run or that a browser could take for a
  web page: scripts, launch actions, embedded files, forms with scripts, or HTML/SVG markup (a
  polyglot). They must end with `%%EOF`.
- **Images** are measured from their header before they are decoded, and refused above
  `CAREBRIDGE_ATTACHMENT_MAX_PIXELS` (a decompression bomb stays small on disk and huge in
  memory). They are then decoded, turned upright, and re-encoded from their pixels alone: no
  EXIF (camera, place, time), no text chunks, nothing appended after the image.

Privacy rule: a refusal names the file as the person called it, and says why in plain words;
nothing of the file's content is logged.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
# PDF names whose presence means content that runs or opens something (ISO 32000 12.6, 7.11).
PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData|GoToE)\b"
)
# Markup a browser would render if it were ever served as a page.
MARKUP = re.compile(rb"<\s*(html|script|svg|iframe|body|!doctype)\b", re.IGNORECASE)
EOF_WINDOW = 1024
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed: its cleaned name, its real type, the bytes to store and their hash."""

    name: str
    content_type: str
    data: bytes
    sha256: str


class AttachmentError(ValidationError):
    """A file refused, with a message for the person who attached it."""


def check_attachment(name: str, data: bytes) -> CheckedFile:
    """Check one attached file; return what to store, or raise `AttachmentError`."""
    shown = clean_name(name)
    limit = settings.CAREBRIDGE_ATTACHMENT_MAX_BYTES
    if len(data) > limit:
        raise AttachmentError(
            _("“%(name)s” is larger than %(size)s. Please attach a smaller file.")
            % {"name": shown, "size": megabytes(limit)},
            code="too_large",
        )
    content_type = sniff(data)
    if content_type is None:
        raise AttachmentError(
            _("“%(name)s” is not a PDF, JPEG or PNG file. Only these kinds can be attached.")
            % {"name": shown},
            code="wrong_type",
        )
    if content_type == PDF:
        check_pdf(shown, data)
        stored = data
    else:
        stored = reencode_image(shown, data, content_type)
    return CheckedFile(
        name=with_extension(shown, content_type),
        content_type=content_type,
        data=stored,
        sha256=hashlib.sha256(stored).hexdigest(),
    )


def sniff(data: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def check_pdf(shown: str, data: bytes) -> None:
    if PDF_ACTIVE.search(data) or MARKUP.search(data):
        raise AttachmentError(
            _(
                "“%(name)s” contains content that could run on a computer, such as a script, "
                "and cannot be attached. Please print it to a new PDF, or attach a photo of it."
            )
            % {"name": shown},
            code="active_content",
        )
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise AttachmentError(
            _("“%(name)s” is not a complete PDF file. It may be damaged.") % {"name": shown},
            code="damaged",
        )


def reencode_image(shown: str, data: bytes, content_type: str) -> bytes:
    """Decode the image within the pixel limit and write it again from its pixels alone."""
    damaged = AttachmentError(
        _("“%(name)s” could not be read as an image. It may be damaged.") % {"name": shown},
        code="damaged",
    )
    max_pixels = settings.CAREBRIDGE_ATTACHMENT_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise AttachmentError(
                        _(
                            "“%(name)s” is too large a picture (more than %(pixels)s "
                            "megapixels). Please attach a smaller one."
                        )
                        % {"name": shown, "pixels": max_pixels // 1_000_000},
                        code="too_many_pixels",
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
                return encode(upright, content_type)
    except AttachmentError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise damaged from None


def encode(image: Image.Image, content_type: str) -> bytes:
    """Only the pixels: a fresh image carries no EXIF, ICC-less text chunks or trailing data."""
    mode = "RGB" if content_type == JPEG else ("RGBA" if "A" in image.getbands() else "RGB")
    clean = Image.new(mode, image.size)
    clean.paste(image.convert(mode))
    out = io.BytesIO()
    if content_type == JPEG:
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def clean_name(name: str) -> str:
    """The file's own name without any folder, control characters or odd spacing."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(
        c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C"
    )
    base = " ".join(base.split()).strip(" .")
    return (base or _("attachment"))[:NAME_MAX_LENGTH]


def with_extension(name: str, content_type: str) -> str:
    """The name ending as its real type does, so that no program opens it as something else."""
    extension = EXTENSIONS[content_type]
    _stem, dot, current = name.rpartition(".")
    if dot and f".{current.lower()}" in (extension, ".jpeg" if content_type == JPEG else ""):
        return name
    return f"{name}{extension}"[:NAME_MAX_LENGTH]


def megabytes(size: int) -> str:
    return _("%(mb)s MB") % {"mb": f"{size / 1_000_000:g}"}
