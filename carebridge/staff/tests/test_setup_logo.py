"""The clinic's logo: uploaded by its administrators, checked and re-encoded as PNG without
metadata, shown on every page of the clinic with the clinic's name as its text, and served
with a long cache under an address that changes with it. Refused files leave nothing behind.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import Clinic
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

URL = "/staff/setup/logo/"


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path
    return tmp_path


def _picture(kind: str, size: tuple[int, int] = (40, 20), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=kind, **save)
    return out.getvalue()


def _upload(data: bytes, name: str = "logo.png") -> dict[str, SimpleUploadedFile]:
    return {"logo": SimpleUploadedFile(name, data, content_type="image/png")}


def _stored(tmp_path: Path) -> list[str]:
    folder = tmp_path / "logos"
    return sorted(os.listdir(folder)) if folder.exists() else []


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_a_picture_is_stored_as_png_and_shown_on_every_page(
    cast: Cast, tmp_path: Path, kind: str
) -> None:
    response = client_for(cast.clinic_admin).post(URL, _upload(_picture(kind)))
    assert (response.status_code, response["Location"]) == (302, URL)
    assert flashed(response) == ["Saved. Every page now shows the new logo."]
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert _stored(tmp_path) == [clinic.logo]
    assert clinic.logo.endswith(".png")
    assert clinic.branding_version == 2
    with Image.open(tmp_path / "logos" / clinic.logo) as stored:
        assert (stored.format, stored.size) == ("PNG", (40, 20))
    event = AuditEvent.objects.get(object_type="clinic_branding")
    assert (event.action, event.object_id, event.actor_id, event.changes) == (
        "update",
        str(clinic.pk),
        cast.clinic_admin.pk,
        {"logo": {"before": None, "after": clinic.logo}},
    )
    logo_tag = (
        '<img class="brand-logo" src="/brand/riverside/logo-2.png" alt="Riverside Family Clinic">'
        '<span aria-hidden="true">Riverside Family Clinic</span>'
    )
    for user in (cast.patient_user, cast.front_desk):
        assert logo_tag in client_for(user).get("/help/").content.decode()


def test_the_logo_is_served_with_a_long_cache_for_an_existing_clinic(
    cast: Cast, tmp_path: Path
) -> None:
    client_for(cast.clinic_admin).post(URL, _upload(_picture("PNG")))
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    response = Client().get("/brand/riverside/logo-2.png")
    assert response.status_code == 200
    assert (response["Content-Type"], response["Cache-Control"]) == (
        "image/png",
        "public, max-age=31536000, immutable",
    )
    assert b"".join(response.streaming_content) == (tmp_path / "logos" / clinic.logo).read_bytes()
    old = Client().get("/brand/riverside/logo-1.png")
    assert (old.status_code, old["Location"]) == (302, "/brand/riverside/logo-2.png")
    assert Client().get("/brand/hilltop/logo-1.png").status_code == 404
    assert Client().get("/brand/nowhere/logo-1.png").status_code == 404


def test_metadata_is_stripped_and_a_large_picture_is_shrunk(cast: Cast, tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Secret camera"
    data = _picture("JPEG", (2400, 1200), exif=exif.tobytes())
    client_for(cast.clinic_admin).post(URL, _upload(data, "photo.jpg"))
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    stored = (tmp_path / "logos" / clinic.logo).read_bytes()
    assert b"Secret camera" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (1000, 500)
        assert not image.getexif()
        assert "exif" not in image.info


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            b"%PDF-1.4 not a picture",
            "The logo must be a PNG, JPEG or WebP picture. This file is not one.",
        ),
        (
            b"GIF89a" + b"\x00" * 20,
            "The logo must be a PNG, JPEG or WebP picture. This file is not one.",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + b"broken" * 10,
            "The logo could not be read as a picture. It may be damaged.",
        ),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_kept(
    cast: Cast, tmp_path: Path, data: bytes, error: str
) -> None:
    response = client_for(cast.clinic_admin).post(URL, _upload(data))
    assert response.status_code == 200
    assert response.context["form"].errors == {"logo": [error]}
    assert _stored(tmp_path) == []
    assert Clinic.objects.get(pk=cast.clinic.pk).logo == ""
    assert not AuditEvent.objects.filter(object_type="clinic_branding").exists()


def test_a_png_over_2_mb_is_refused(cast: Cast, tmp_path: Path) -> None:
    # Noise does not compress: a 1000 x 800 picture of it is well over 2 MB as PNG.
    noisy = Image.frombytes("RGB", (1000, 800), os.urandom(1000 * 800 * 3))
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert len(out.getvalue()) > 2 * 1024 * 1024
    response = client_for(cast.clinic_admin).post(URL, _upload(out.getvalue()))
    assert response.context["form"].errors == {
        "logo": ["The logo file is too large. Choose one of at most 2 MB."]
    }
    assert _stored(tmp_path) == []


def test_no_file_is_left_when_the_row_cannot_be_saved(
    cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carebridge.clinic.services import branding

    def failing(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(branding, "record_change", failing)
    with pytest.raises(RuntimeError):
        branding.set_logo(actor=cast.clinic_admin, clinic=cast.clinic, data=_picture("PNG"))
    assert _stored(tmp_path) == []
    assert Clinic.objects.get(pk=cast.clinic.pk).logo == ""


def test_replacing_and_removing_the_logo_removes_the_old_file(
    cast: Cast, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_for(cast.clinic_admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(URL, _upload(_picture("PNG")))
    first = Clinic.objects.get(pk=cast.clinic.pk).logo
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(URL, _upload(_picture("WEBP")))
    second = Clinic.objects.get(pk=cast.clinic.pk).logo
    assert _stored(tmp_path) == [second]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(URL, {"remove": "1"})
    # The earlier uploads' messages were never shown (no page was read in between).
    assert flashed(response)[-1] == "The logo is removed. Pages show the clinic's name alone."
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert (clinic.logo, clinic.branding_version, _stored(tmp_path)) == ("", 4, [])
    assert [
        e.changes
        for e in AuditEvent.objects.filter(object_type="clinic_branding").order_by("sequence")
    ] == [
        {"logo": {"before": None, "after": first}},
        {"logo": {"before": first, "after": second}},
        {"logo": {"before": second, "after": None}},
    ]
    body = client_for(cast.patient_user).get("/help/").content.decode()
    assert '<a class="brand" href="/">Riverside Family Clinic</a>' in body


def test_others_cannot_upload(cast: Cast, tmp_path: Path) -> None:
    for user in (cast.nurse, cast.billing, cast.patient_user):
        assert client_for(user).post(URL, _upload(_picture("PNG"))).status_code == 404
    assert _stored(tmp_path) == []
    assert Clinic.objects.get(pk=cast.clinic.pk).logo == ""
