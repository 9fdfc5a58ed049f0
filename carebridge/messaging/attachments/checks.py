"""Checking a file attached to a message before anything of the message is saved.

- **Type from the content, never the name:** a PDF starts with `%PDF-`, a JPEG with `FF D8 FF`, a
  PNG with its 8-byte signature. Anything else is refused, whatever it is called.
- **Size:** at most `CAREBRIDGE_ATTACHMENT_MAX_BYTES` (10 MB). How many per message
  (`CAREBRIDGE_ATTACHMENTS_PER_MESSAGE`) is checked by the message's form and service.
- **PDFs** are parsed and rebuilt from their pages alone (`pdfs.py`): no scripts, actions,
  forms, annotations, embedded files or metadata survive, and what cannot be parsed is refused.
- **Pictures** are measured before they are decoded, decoded at a bounded size and re-encoded
  from their pixels alone (`pictures.py`).

The bytes stored are always the rebuilt ones, never the upload's.

Privacy rule: a refusal names the file as the person called it, and says why in plain words;
nothing of the file's content is logged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from carebridge.messaging.attachments.errors import AttachmentError
from carebridge.messaging.attachments.pdfs import PDF, rebuild_pdf
from carebridge.messaging.attachments.pictures import JPEG, PNG, reencode_image

SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed: its cleaned name, its real type, the bytes to store and their hash."""

    name: str
    content_type: str
    data: bytes
    sha256: str


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
        stored = rebuild_pdf(shown, data)
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
