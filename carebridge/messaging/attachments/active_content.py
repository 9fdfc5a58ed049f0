"""What in a parsed PDF can run, open, submit, play or hide something, and its removal.

Names are compared after parsing, so `/J#61vaScript` is `/JavaScript` and objects inside
compressed object streams are seen like any other: nothing here searches raw bytes.

- `strip_active_content` removes, from every dictionary of a rebuilt PDF, the keys that carry
  active content or metadata, and every value that is itself an action, annotation, file
  specification, embedded file, metadata stream or PostScript XObject. What nothing refers to
  any more is left out when the PDF is saved.
- `has_active_content` walks every object of a saved PDF and says whether any such thing is
  still there: the check that the removal worked (defence in depth).
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

# Keys whose presence means scripts, actions, forms, name trees (which list document scripts
# and files), embedded files, links or hidden data
# (ISO 32000-1 7.7.2, 7.11, 12.3.3, 12.5, 12.6, 12.7, 14.3, 14.5; Adobe's RichMedia extension).
ACTIVE_KEYS = frozenset(
    (
        "/JS",
        "/JavaScript",
        "/AA",
        "/A",
        "/OpenAction",
        "/AcroForm",
        "/XFA",
        "/Names",
        "/EmbeddedFiles",
        "/EF",
        "/RF",
        "/URI",
        "/Annots",
        "/RichMediaContent",
        "/RichMediaSettings",
        "/PS",
        "/Metadata",
        "/PieceInfo",
        "/Collection",
        "/Threads",
        "/Outlines",
    )
)
# Every action type (12.6.4): a rebuilt PDF keeps no annotations or outlines, so no action at all.
ACTION_TYPES = frozenset(
    (
        "/GoTo",
        "/GoToR",
        "/GoToE",
        "/GoToDp",
        "/Launch",
        "/Thread",
        "/URI",
        "/Sound",
        "/Movie",
        "/Hide",
        "/Named",
        "/SubmitForm",
        "/ResetForm",
        "/ImportData",
        "/JavaScript",
        "/SetOCGState",
        "/Rendition",
        "/Trans",
        "/GoTo3DView",
        "/RichMediaExecute",
    )
)
ACTIVE_TYPES = frozenset(("/Action", "/Annot", "/Filespec", "/EmbeddedFile", "/Metadata", "/Sig"))
# Annotation subtypes that act, PostScript XObjects and XMP metadata streams.
ACTIVE_SUBTYPES = frozenset(
    (
        "/Link",
        "/Widget",
        "/FileAttachment",
        "/Screen",
        "/Movie",
        "/Sound",
        "/RichMedia",
        "/3D",
        "/PS",
        "/XML",
    )
)
CATALOG_KEYS = frozenset(("/Type", "/Pages"))
TRAILER_KEYS = frozenset(("/Root", "/Size", "/ID"))
Container = pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array


def strip_active_content(pdf: pikepdf.Pdf) -> None:
    """Remove active keys and active values from every dictionary and array of `pdf`."""
    for indirect in list(pdf.objects):
        for container in _containers(indirect):
            _strip(container)


def has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Whether anything active, or any document metadata, is left anywhere in `pdf`."""
    if set(pdf.trailer.keys()) - TRAILER_KEYS or set(pdf.Root.keys()) - CATALOG_KEYS:
        return True
    return any(
        _is_active(container) or ACTIVE_KEYS.intersection(_keys(container))
        for indirect in pdf.objects
        for container in _containers(indirect)
    )


def _strip(container: Container) -> None:
    if isinstance(container, pikepdf.Array):
        for index in reversed(range(len(container))):
            if _is_active(container[index]):
                del container[index]
        return
    for key in _keys(container):
        if key in ACTIVE_KEYS or _is_active(container[key]):
            del container[key]


def _containers(root: pikepdf.Object) -> Iterator[Container]:
    """`root` and every dictionary, stream or array written inside it (not those it refers to
    by reference: each of those is an object of the file and is visited on its own)."""
    stack = [root]
    while stack:
        current = stack.pop()
        if not isinstance(current, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
            continue
        yield current
        values = current if isinstance(current, pikepdf.Array) else current.values()
        stack.extend(
            value for value in values if isinstance(value, pikepdf.Object) and not value.is_indirect
        )


def _keys(container: Container) -> list[str]:
    return [] if isinstance(container, pikepdf.Array) else list(container.keys())


def _is_active(value: pikepdf.Object) -> bool:
    """Whether `value` is itself an action, annotation, file, metadata or PostScript object."""
    if not isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
        return False
    # Names are compared as text: parsed names are already unescaped, and text is quicker.
    return (
        str(value.get("/Type")) in ACTIVE_TYPES
        or str(value.get("/S")) in ACTION_TYPES
        or str(value.get("/Subtype")) in ACTIVE_SUBTYPES
        or str(value.get("/Subtype2")) in ACTIVE_SUBTYPES
    )
