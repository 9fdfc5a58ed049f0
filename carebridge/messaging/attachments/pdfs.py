"""PDFs are parsed and rebuilt from their pages alone, never searched as raw bytes.

- A file that does not end with `%%EOF`, that qpdf cannot parse, or that needs a password to
  open is refused. A damaged cross-reference table in a complete file is repaired by qpdf, and
  the rebuilt file is written fresh, so nothing of the damage is kept.
- The work is bounded before it is done: at most `CAREBRIDGE_ATTACHMENT_MAX_PDF_OBJECTS`
  objects and `CAREBRIDGE_ATTACHMENT_MAX_PDF_PAGES` pages; streams are copied without being
  decoded (a compressed bomb is never inflated); a rebuilt file over twice the upload limit
  is refused.
- A new PDF receives only each page's size, rotation, drawing (`/Contents`) and the resources
  the drawing uses. The catalog's open action, scripts, forms (and XFA), outlines, named
  trees, embedded files, annotations, page actions and the document metadata are never
  copied; `active_content.strip_active_content` then removes anything active reached through
  the resources, and the saved file is opened again and walked, and refused if anything
  active is still there.

Privacy and safety rule: the bytes stored are the rebuilt ones, never the upload's; a refusal
names the file and says why in plain words, and nothing of its content is logged.
"""

from __future__ import annotations

import io
import re

import pikepdf
from django.conf import settings
from django.utils.translation import gettext as _
from pikepdf import Name

from carebridge.messaging.attachments.active_content import (
    has_active_content,
    strip_active_content,
)
from carebridge.messaging.attachments.errors import AttachmentError

PDF = "application/pdf"
EOF_WINDOW = 1024
PAGE_KEYS = ("/MediaBox", "/CropBox", "/Rotate", "/UserUnit", "/Contents")
RESOURCE_KEYS = (
    "/Font",
    "/XObject",
    "/ExtGState",
    "/ColorSpace",
    "/Pattern",
    "/Shading",
    "/Properties",
    "/ProcSet",
)
LETTER = (0, 0, 612, 792)
# Markup a browser would render if the stored file were ever served as a page.
MARKUP = re.compile(rb"<\s*(html|script|svg|iframe|body|!doctype)\b", re.IGNORECASE)
PARSE_ERRORS = (pikepdf.PdfError, ValueError, TypeError, KeyError, RuntimeError, RecursionError)


def rebuild_pdf(shown: str, data: bytes) -> bytes:
    """Return a new PDF holding only the pages' drawings, or raise `AttachmentError`."""
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise _damaged(shown)
    try:
        with pikepdf.open(io.BytesIO(data)) as source:
            _check_bounds(shown, source)
            rebuilt = _rebuild(source)
        _check_rebuilt(shown, rebuilt)
    except pikepdf.PasswordError:
        raise AttachmentError(
            _("“%(name)s” is protected by a password. Please attach a copy without a password.")
            % {"name": shown},
            code="encrypted",
        ) from None
    except PARSE_ERRORS:
        raise _damaged(shown) from None
    return rebuilt


def _check_bounds(shown: str, source: pikepdf.Pdf) -> None:
    """Refuse what would cost too much work, before any page is copied."""
    if len(source.objects) > settings.CAREBRIDGE_ATTACHMENT_MAX_PDF_OBJECTS:
        raise _too_complex(shown)
    pages = len(source.pages)
    most = settings.CAREBRIDGE_ATTACHMENT_MAX_PDF_PAGES
    if pages > most:
        raise AttachmentError(
            _("“%(name)s” has more than %(most)d pages. Please attach a shorter PDF.")
            % {"name": shown, "most": most},
            code="too_many_pages",
        )


def _rebuild(source: pikepdf.Pdf) -> bytes:
    target = pikepdf.new()
    for page in source.pages:
        target.pages.append(pikepdf.Page(source.make_indirect(_bare_page(page.obj))))
    strip_active_content(target)
    out = io.BytesIO()
    target.save(
        out,
        min_version="1.7",
        object_stream_mode=pikepdf.ObjectStreamMode.disable,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        compress_streams=True,
        fix_metadata_version=False,
        deterministic_id=True,
    )
    return out.getvalue()


def _bare_page(page: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """A new page dictionary with the page's size, rotation, drawing and its resources only
    (qpdf has already copied inherited values onto each page)."""
    bare = pikepdf.Dictionary(Type=Name.Page, MediaBox=pikepdf.Array(LETTER))
    for key in PAGE_KEYS:
        if key in page:
            bare[key] = page[key]
    resources = page.get(Name.Resources)
    bare.Resources = pikepdf.Dictionary()
    if isinstance(resources, pikepdf.Dictionary):
        for key in RESOURCE_KEYS:
            if key in resources:
                bare.Resources[key] = resources[key]
    return bare


def _check_rebuilt(shown: str, rebuilt: bytes) -> None:
    """Defence in depth: the saved file is parsed again and every object walked."""
    if len(rebuilt) > 2 * settings.CAREBRIDGE_ATTACHMENT_MAX_BYTES:
        raise _too_complex(shown)
    with pikepdf.open(io.BytesIO(rebuilt)) as again:
        if has_active_content(again) or MARKUP.search(rebuilt):
            raise AttachmentError(
                _(
                    "“%(name)s” contains content that could run on a computer, such as a "
                    "script, and cannot be attached. Please print it to a new PDF, or attach a "
                    "photo of it."
                )
                % {"name": shown},
                code="active_content",
            )


def _damaged(shown: str) -> AttachmentError:
    return AttachmentError(
        _("“%(name)s” is not a complete PDF file. It may be damaged.") % {"name": shown},
        code="damaged",
    )


def _too_complex(shown: str) -> AttachmentError:
    return AttachmentError(
        _(
            "“%(name)s” is too complex a PDF to attach. Please print it to a new PDF, "
            "or attach a smaller one."
        )
        % {"name": shown},
        code="too_complex",
    )
