"""PDF attachments are parsed and rebuilt from their pages alone: every hostile PDF of the
corpus (`hostile_pdfs`) is either refused with a plain message or stored without anything that
could run, open, submit or hide something, and a plain PDF keeps its pages and its text."""

from __future__ import annotations

import io

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.messaging.attachments import AttachmentError, check_attachment
from carebridge.messaging.attachments import pdfs as pdf_module
from carebridge.messaging.tests import hostile_pdfs as corpus

# Names that must appear nowhere in a stored PDF, as a key or as a value.
FORBIDDEN = {
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/AA",
    "/A",
    "/Launch",
    "/GoToR",
    "/SubmitForm",
    "/URI",
    "/Annots",
    "/Annot",
    "/Link",
    "/Widget",
    "/RichMedia",
    "/RichMediaContent",
    "/AcroForm",
    "/XFA",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/Filespec",
    "/Names",
    "/Metadata",
    "/PS",
}
DAMAGED = "“{}” is not a complete PDF file. It may be damaged."


def names_in(pdf: pikepdf.Pdf) -> set[str]:
    """Every name used anywhere in `pdf`, as a dictionary key or as a value, after parsing."""
    found: set[str] = set()
    stack: list[object] = [pdf.trailer, *pdf.objects]
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Object):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Name):
            found.add(str(item))
        elif isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            found.update(item.keys())
            stack.extend(item.values())
    return found


def stored(data: bytes, name: str = "results.pdf") -> bytes:
    checked = check_attachment(name, data)
    assert (checked.name, checked.content_type) == (name, "application/pdf")
    return checked.data


def assert_inert(data: bytes, *, pages: int = 1) -> None:
    """The stored PDF re-opens, keeps its pages and text, and holds nothing active."""
    assert b"/JavaScript" not in data
    assert b"/JS" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == pages
        assert corpus.TEXT in pdf.pages[0].Contents.read_bytes()
        assert names_in(pdf) & FORBIDDEN == set()
        assert set(pdf.trailer.keys()) == {"/Root", "/Size", "/ID"}
        assert set(pdf.Root.keys()) == {"/Type", "/Pages"}


def refused(data: bytes, name: str = "results.pdf") -> tuple[str, str]:
    with pytest.raises(AttachmentError) as error:
        check_attachment(name, data)
    return error.value.code or "", error.value.messages[0]


def test_a_plain_pdf_keeps_its_pages_and_its_text():
    data = corpus.saved(corpus.text_pdf(pages=3))
    rebuilt = stored(data)
    assert rebuilt.startswith(b"%PDF-1.7\n")
    assert_inert(rebuilt, pages=3)
    assert stored(data) == rebuilt


def test_what_a_page_inherits_from_its_page_tree_is_kept():
    objects = corpus.PLAIN_OBJECTS | {
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 400] /Rotate 90 "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
    }
    rebuilt = stored(corpus.handmade(objects))
    assert_inert(rebuilt)
    with pikepdf.open(io.BytesIO(rebuilt)) as pdf:
        page = pdf.pages[0].obj
        assert (list(page.MediaBox), page.Rotate) == ([0, 0, 300, 400], 90)
        assert page.Resources.Font.F1.BaseFont == "/Helvetica"


@pytest.mark.parametrize(
    "hostile",
    [
        corpus.js_in_open_action,
        corpus.js_in_object_stream,
        corpus.escaped_names,
        corpus.launch_action,
        corpus.page_additional_actions,
        corpus.link_to_javascript_uri,
        corpus.embedded_file,
        corpus.acroform_with_script_and_xfa,
        corpus.rich_media,
        corpus.go_to_remote,
        corpus.submit_form,
        corpus.script_added_by_an_update,
        corpus.resources_reaching_the_catalog,
    ],
)
def test_a_hostile_pdf_is_stored_rebuilt_without_anything_active(hostile):
    data = hostile()
    with pikepdf.open(io.BytesIO(data)) as upload:
        assert names_in(upload) & FORBIDDEN != set()
    assert_inert(stored(data))


def test_names_hidden_from_a_byte_search_are_still_found():
    """The old check searched the bytes; these two uploads show why it could not work."""
    assert b"/JavaScript" not in corpus.escaped_names()
    assert b"/JavaScript" not in corpus.js_in_object_stream()


def test_nothing_of_an_embedded_file_metadata_or_form_reaches_the_stored_bytes():
    assert b"MZ-payload" not in stored(corpus.embedded_file())
    assert b"<script>" not in stored(corpus.acroform_with_script_and_xfa())
    assert b"Jane Doe" not in stored(corpus.resources_reaching_the_catalog())


def test_compressed_streams_are_copied_without_being_inflated():
    data = corpus.compressed_bomb(5_000_000)
    assert len(data) < 20_000
    rebuilt = stored(data)
    assert len(rebuilt) < 20_000
    with pikepdf.open(io.BytesIO(data)) as upload, pikepdf.open(io.BytesIO(rebuilt)) as pdf:
        original = upload.pages[0].Contents.read_raw_bytes()
        assert pdf.pages[0].Contents.read_raw_bytes() == original


def test_a_pdf_locked_with_a_password_is_refused():
    assert refused(corpus.encrypted()) == (
        "encrypted",
        "“results.pdf” is protected by a password. Please attach a copy without a password.",
    )


def test_a_pdf_with_only_an_owner_password_is_stored_unencrypted():
    rebuilt = stored(corpus.encrypted(user=""))
    assert_inert(rebuilt)
    with pikepdf.open(io.BytesIO(rebuilt)) as pdf:
        assert pdf.is_encrypted is False


def test_a_truncated_pdf_is_refused():
    data = corpus.handmade(corpus.PLAIN_OBJECTS)
    assert refused(data[: len(data) // 2]) == ("damaged", DAMAGED.format("results.pdf"))


def test_a_pdf_that_cannot_be_parsed_is_refused():
    assert refused(b"%PDF-1.7\nnot a pdf at all\n%%EOF\n") == (
        "damaged",
        DAMAGED.format("results.pdf"),
    )


def test_a_whole_pdf_with_a_damaged_table_is_repaired_and_rebuilt():
    """Decision (docs/adr/0006): qpdf finds the objects again, and the stored file is new."""
    data = corpus.handmade(corpus.PLAIN_OBJECTS, shift_offsets=7)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.get_warnings() != []
    assert_inert(stored(data))


def test_an_html_page_with_a_pdf_after_it_is_not_a_pdf():
    assert refused(corpus.polyglot_html_first(), "page.pdf") == (
        "wrong_type",
        "“page.pdf” is not a PDF, JPEG or PNG file. Only these kinds can be attached.",
    )


def test_a_large_zip_appended_to_a_pdf_is_refused():
    assert refused(corpus.with_zip_appended(4000)) == ("damaged", DAMAGED.format("results.pdf"))


def test_a_small_zip_appended_to_a_pdf_is_left_out_of_the_stored_file():
    data = corpus.with_zip_appended(100) + b"\n%%EOF\n"
    rebuilt = stored(data)
    assert b"PK\x03\x04" not in rebuilt
    assert_inert(rebuilt)


def test_a_pdf_of_ten_thousand_pages_is_refused_before_it_is_copied():
    assert refused(corpus.many_pages(10_000)) == (
        "too_many_pages",
        "“results.pdf” has more than 200 pages. Please attach a shorter PDF.",
    )


def test_the_page_limit_itself_is_allowed(settings):
    settings.CAREBRIDGE_ATTACHMENT_MAX_PDF_PAGES = 3
    assert_inert(stored(corpus.saved(corpus.text_pdf(pages=3))), pages=3)
    assert refused(corpus.saved(corpus.text_pdf(pages=4)))[0] == "too_many_pages"


def test_a_pdf_of_too_many_objects_is_refused(settings):
    settings.CAREBRIDGE_ATTACHMENT_MAX_PDF_OBJECTS = 500
    assert refused(corpus.many_objects(500)) == (
        "too_complex",
        "“results.pdf” is too complex a PDF to attach. Please print it to a new PDF, "
        "or attach a smaller one.",
    )


def test_a_rebuilt_file_over_twice_the_upload_limit_is_refused(settings):
    """Thousands of tiny objects packed in a compressed object stream grow when written out."""
    data = corpus.objects_in_the_resources(800)
    settings.CAREBRIDGE_ATTACHMENT_MAX_BYTES = len(data)
    assert refused(data)[0] == "too_complex"
    settings.CAREBRIDGE_ATTACHMENT_MAX_BYTES = 10 * len(data)
    assert_inert(stored(data))


def test_whatever_the_removal_misses_the_walk_of_the_saved_file_refuses(monkeypatch):
    """Defence in depth: with the removal switched off, the check of the saved file refuses."""
    monkeypatch.setattr(pdf_module, "strip_active_content", lambda pdf: None)
    assert refused(corpus.resources_reaching_the_catalog()) == (
        "active_content",
        "“results.pdf” contains content that could run on a computer, such as a script, and "
        "cannot be attached. Please print it to a new PDF, or attach a photo of it.",
    )


PLAIN = corpus.handmade(corpus.PLAIN_OBJECTS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=len(PLAIN)),
    position=st.integers(min_value=0, max_value=len(PLAIN) - 1),
    replacement=st.binary(min_size=0, max_size=12),
)
def test_a_damaged_pdf_is_refused_or_stored_inert_never_an_error(cut, position, replacement):
    """Any cut or overwrite of a plain PDF is refused with a message, or stored inert."""
    data = (PLAIN[:position] + replacement + PLAIN[position + len(replacement) :])[: max(cut, 5)]
    try:
        rebuilt = check_attachment("results.pdf", data).data
    except AttachmentError as error:
        assert error.code in {"damaged", "wrong_type"}
        return
    with pikepdf.open(io.BytesIO(rebuilt)) as pdf:
        assert names_in(pdf) & FORBIDDEN == set()


@settings(max_examples=40, deadline=None)
@given(
    thing=st.sampled_from(sorted(corpus.ACTIVE_THINGS)),
    path=st.lists(st.sampled_from(["MC0", "Layer", "Deep", "X"]), min_size=1, max_size=4),
    indirect=st.booleans(),
    in_array=st.booleans(),
)
def test_an_active_thing_hidden_anywhere_in_the_resources_is_removed(
    thing, path, indirect, in_array
):
    data = corpus.hidden_in_the_resources(thing, path, indirect=indirect, in_array=in_array)
    assert_inert(check_attachment("results.pdf", data).data)
