"""Attached files: the type comes from the content; wrong, oversized, disguised, polyglot,
active and bomb files are refused with a plain message; pictures are stored without their
metadata or anything hidden after them."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest
from PIL import Image

from carebridge.messaging.attachments import AttachmentError, check_attachment, clean_name

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def photo(fmt: str = "JPEG", size: tuple[int, int] = (40, 30), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, format=fmt, **save)
    return out.getvalue()


def exif_with_place() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:03:04 10:00:00"  # DateTime
    exif[0x8825] = {1: "N", 2: (40.0, 42.0, 46.0)}  # GPS
    return exif


def refused(name: str, data: bytes) -> tuple[str, str]:
    with pytest.raises(AttachmentError) as error:
        check_attachment(name, data)
    return error.value.code or "", error.value.messages[0]


def test_a_pdf_is_stored_rebuilt_never_as_uploaded():
    checked = check_attachment("letter.pdf", MINIMAL_PDF)
    assert (checked.name, checked.content_type) == ("letter.pdf", "application/pdf")
    assert checked.data != MINIMAL_PDF
    assert checked.data.startswith(b"%PDF-1.7\n")
    assert checked.sha256 == hashlib.sha256(checked.data).hexdigest()
    with pikepdf.open(io.BytesIO(checked.data)) as stored:
        assert len(stored.pages) == 1


def test_the_type_comes_from_the_content_and_the_name_follows_it():
    checked = check_attachment("scan.pdf", photo("PNG"))
    assert (checked.name, checked.content_type) == ("scan.pdf.png", "image/png")
    assert check_attachment("IMG_0001.JPEG", photo()).name == "IMG_0001.JPEG"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.txt", b"Just some words"),
        ("virus.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("picture.png", b"GIF89a\x01\x00\x01\x00"),
        ("empty.pdf", b""),
    ],
)
def test_other_kinds_are_refused_whatever_their_name(name, data):
    assert refused(name, data) == (
        "wrong_type",
        f"“{name}” is not a PDF, JPEG or PNG file. Only these kinds can be attached.",
    )


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.CAREBRIDGE_ATTACHMENT_MAX_BYTES = len(MINIMAL_PDF) - 1
    assert refused("letter.pdf", MINIMAL_PDF) == (
        "too_large",
        f"“letter.pdf” is larger than {(len(MINIMAL_PDF) - 1) / 1_000_000:g} MB. "
        "Please attach a smaller file.",
    )


def test_the_default_limit_is_ten_megabytes():
    big = MINIMAL_PDF + b"%" + b"0" * 10_000_000
    assert refused("big.pdf", big)[1] == (
        "“big.pdf” is larger than 10 MB. Please attach a smaller file."
    )


@pytest.mark.parametrize(
    ("inserted", "gone"),
    [
        (b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", b"/JavaScript"),
        (b"<< /S /Launch /F (cmd.exe) >>", b"/Launch"),
        (b"<< /Names << /EmbeddedFiles 5 0 R >> >>", b"/EmbeddedFiles"),
        (b"% <html><body><script>alert(1)</script></body></html>", b"<script>"),
        (b"% <svg onload=alert(1)>", b"<svg"),
    ],
)
def test_what_no_page_uses_is_left_out_of_a_pdf(inserted, gone):
    """Scripts, actions and markup outside the pages are not copied into the rebuilt file;
    the hostile corpus is in test_pdf_rebuild.py."""
    data = MINIMAL_PDF.replace(b"trailer", inserted + b"\ntrailer")
    assert gone in data
    assert gone not in check_attachment("bill.pdf", data).data


def test_a_truncated_pdf_is_refused():
    assert refused("cut.pdf", MINIMAL_PDF[:60]) == (
        "damaged",
        "“cut.pdf” is not a complete PDF file. It may be damaged.",
    )


def test_a_photo_loses_its_exif_and_is_turned_upright():
    out = io.BytesIO()
    exif = exif_with_place()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    Image.new("RGB", (40, 30), (10, 20, 30)).save(out, format="JPEG", exif=exif.tobytes())
    original = out.getvalue()
    assert b"PhoneMaker" in original
    checked = check_attachment("rash.jpg", original)
    assert b"PhoneMaker" not in checked.data
    assert b"Exif" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert (stored.format, stored.size) == ("JPEG", (30, 40))
        assert dict(stored.getexif()) == {}


def test_a_jpeg_loses_its_comment():
    original = photo(comment=b"Jane Doe, room 12")
    assert b"Jane Doe" in original
    assert b"Jane Doe" not in check_attachment("rash.jpg", original).data


def test_a_png_loses_its_text_chunks_and_anything_appended():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "taken at 12 Elm Street")
    original = photo("PNG", pnginfo=info) + b"<html><script>alert(1)</script></html>"
    checked = check_attachment("cut.png", original)
    assert b"Elm Street" not in checked.data
    assert b"<script>" not in checked.data
    assert checked.data.endswith(b"IEND\xaeB`\x82")
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert (stored.format, stored.size, stored.info.get("Comment")) == ("PNG", (40, 30), None)


def test_a_decompression_bomb_is_refused_before_it_is_decoded(monkeypatch):
    """A 9,000 by 9,000 picture of one colour is small on disk and 81 megapixels in memory."""
    bomb = photo("PNG", size=(9000, 9000))
    assert len(bomb) < 1_000_000
    monkeypatch.setattr(Image.Image, "load", fail_to_decode)
    assert refused("bomb.png", bomb) == (
        "too_many_pixels",
        "“bomb.png” is too large a picture (more than 50 megapixels). Please attach a smaller one.",
    )


def fail_to_decode(image: Image.Image) -> None:
    raise AssertionError("decoded")


def test_a_damaged_picture_is_refused():
    assert refused("half.jpg", photo()[:50]) == (
        "damaged",
        "“half.jpg” could not be read as an image. It may be damaged.",
    )


def test_names_lose_folders_and_control_characters():
    assert clean_name("C:\\Users\\pat\\Desktop\\scan 1.pdf") == "scan 1.pdf"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("bad\x00name\n.pdf") == "badname.pdf"
    assert clean_name("...") == "attachment"


def decoded_sizes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The size of every picture as the decoder produced it (after any reduced-scale draft)."""
    sizes: list[tuple[int, int]] = []
    original = Image.Image.load

    def load(image: Image.Image):  # type: ignore[no-untyped-def]
        loaded = original(image)
        sizes.append(image.size)
        return loaded

    monkeypatch.setattr(Image.Image, "load", load)
    return sizes


def test_a_48_megapixel_phone_photo_passes_decoded_at_a_reduced_scale(monkeypatch):
    phone = photo(size=(8000, 6000), quality=50)
    sizes = decoded_sizes(monkeypatch)
    checked = check_attachment("IMG_2041.jpg", phone)
    # The JPEG decoder's own 1/2 scale: 12 megapixels decoded, never the 48.
    assert sizes[0] == (4000, 3000)
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert (stored.format, stored.size) == ("JPEG", (4000, 3000))


def test_a_large_png_is_stored_at_most_4096_pixels_on_its_long_side():
    out = io.BytesIO()
    Image.new("L", (5000, 2500), 128).save(out, format="PNG")
    checked = check_attachment("scan.png", out.getvalue())
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert (stored.format, stored.mode, stored.size) == ("PNG", "RGB", (4096, 2048))


def test_a_picture_within_the_stored_size_keeps_its_size(monkeypatch):
    sizes = decoded_sizes(monkeypatch)
    checked = check_attachment("rash.jpg", photo(size=(4096, 10)))
    assert sizes[0] == (4096, 10)
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.size == (4096, 10)
