"""The insurance pages: seeing coverage, sending a change with card photos or self-pay, the
card photos (private, never cached); who may.

Cast: Pat, Cora (billing scope: may update Pat's), Abe (appointments only: 404, nothing
changed), Sam (another patient: never Pat's photos), Bill (staff: not through these pages).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import CoverageSource, CoverageStatus, InsuranceCoverage
from carebridge.billing.services.insurance import (
    CardPhoto,
    CoverageFields,
    accept_coverage,
    decline_coverage,
    submit_coverage,
)
from carebridge.billing.tests.plan_fixtures import as_patient, as_staff, picture
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

UPDATE_URL = "/billing/insurance/update/"
FORM = {"payer_name": "Blue Shield", "member_id": "XJ-1234", "group_number": "G-77"}


@pytest.fixture(autouse=True)
def card_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path
    return tmp_path / "insurance"


def _proxy(cast: Cast, persona: str) -> Client:
    return client_for(getattr(cast.proxies, persona), cast.proxies.acting_for(persona))


def _photos(front: bytes, back: bytes | None = None) -> dict[str, SimpleUploadedFile]:
    files = {"card_front": SimpleUploadedFile("front.jpg", front, "image/jpeg")}
    if back is not None:
        files["card_back"] = SimpleUploadedFile("back.png", back, "image/png")
    return files


def _on_file(cast: Cast, **changes: object) -> InsuranceCoverage:
    coverage = submit_coverage(
        actor=as_patient(cast),
        patient=cast.patient,
        fields=CoverageFields(payer_name="Aetna", member_id="A-1", plan_name="HMO Basic"),
        front_photo=CardPhoto("front.png", picture("PNG")),
    )
    return accept_coverage(actor=as_staff(cast, "front_desk"), coverage=coverage, **changes)


@pytest.mark.django_db
def test_pat_sends_new_insurance_with_both_photos(cast: Cast, card_dir: Path) -> None:
    client = client_for(cast.patient_user)
    assert client.get(UPDATE_URL).status_code == 200
    response = client.post(UPDATE_URL, FORM | _photos(picture("JPEG"), picture("PNG")))
    assert (response.status_code, response["Location"]) == (302, "/billing/insurance/")
    coverage = InsuranceCoverage.objects.get()
    assert (coverage.status, coverage.member_id) == (CoverageStatus.PENDING, "XJ-1234")
    assert len(list(card_dir.iterdir())) == 2
    page = client.get("/billing/insurance/").content.decode()
    assert "A change waiting for the clinic to check" in page
    assert f"/billing/insurance/{coverage.pk}/card/front/" in page


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_kept(
    cast: Cast, card_dir: Path
) -> None:
    response = client_for(cast.patient_user).post(
        UPDATE_URL, FORM | _photos(picture("JPEG"), b"MZ\x90\x00 a program")
    )
    assert response.status_code == 200
    assert "“back.png” is not a photo (JPEG or PNG)." in response.content.decode()
    assert not InsuranceCoverage.objects.exists()
    assert not card_dir.exists() or list(card_dir.iterdir()) == []


@pytest.mark.django_db
def test_the_front_photo_and_member_id_are_needed(cast: Cast) -> None:
    response = client_for(cast.patient_user).post(UPDATE_URL, {"payer_name": "Blue Shield"})
    page = response.content.decode()
    assert "Enter the member ID from the card." in page
    assert "Add a photo of the front of the card." in page
    assert not InsuranceCoverage.objects.exists()


@pytest.mark.django_db
def test_a_caregiver_with_the_billing_scope_chooses_self_pay_for_pat(cast: Cast) -> None:
    response = _proxy(cast, "full_caregiver").post(UPDATE_URL, {"action": "self_pay"})
    assert response.status_code == 302
    coverage = InsuranceCoverage.objects.get()
    assert (coverage.patient, coverage.is_self_pay, coverage.submitted_by) == (
        cast.patient,
        True,
        cast.proxies.full_caregiver,
    )
    assert (coverage.source, coverage.status) == (CoverageSource.PATIENT, CoverageStatus.PENDING)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/billing/insurance/", UPDATE_URL, "/billing/insurance/{id}/card/front/"]
)
def test_without_the_billing_scope_every_page_is_404_and_nothing_changes(
    cast: Cast, card_dir: Path, url: str
) -> None:
    coverage = _on_file(cast)
    files_before = sorted(card_dir.iterdir())
    client = _proxy(cast, "appointments_caregiver")
    address = url.format(id=coverage.pk)
    assert client.get(address).status_code == 404
    response = client.post(address, FORM | _photos(picture("JPEG")))
    assert response.status_code in (404, 405)
    assert InsuranceCoverage.objects.count() == 1
    assert sorted(card_dir.iterdir()) == files_before
    assert AuditEvent.objects.filter(outcome="denied", patient=cast.patient).exists()


@pytest.mark.django_db
def test_pats_card_is_shown_privately_and_audited(cast: Cast) -> None:
    coverage = _on_file(cast, copay_cents=2500)
    client = client_for(cast.patient_user)
    page = client.get("/billing/insurance/").content.decode()
    assert "Aetna" in page and "HMO Basic" in page and "$25.00" in page
    response = client.get(f"/billing/insurance/{coverage.pk}/card/front/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(object_type="insurance_card")
    assert (event.object_id, event.patient_id) == (str(coverage.pk), cast.patient.pk)
    # No back photo was sent; a side that is not front or back is no page.
    assert client.get(f"/billing/insurance/{coverage.pk}/card/back/").status_code == 404
    assert client.get(f"/billing/insurance/{coverage.pk}/card/side/").status_code == 404


@pytest.mark.django_db
def test_another_patient_and_staff_get_404_for_pats_card(cast: Cast) -> None:
    coverage = _on_file(cast)
    url = f"/billing/insurance/{coverage.pk}/card/front/"
    for client in (
        client_for(cast.second_patient_user),
        _proxy(cast, "parent_of_child"),
        client_for(cast.front_desk),
    ):
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(object_type="insurance_card", outcome="success").exists()


@pytest.mark.django_db
def test_a_declined_change_shows_the_clinics_note(cast: Cast) -> None:
    coverage = submit_coverage(
        actor=as_patient(cast),
        patient=cast.patient,
        fields=CoverageFields(payer_name="Aetna", member_id="A-1"),
    )
    decline_coverage(
        actor=as_staff(cast, "front_desk"), coverage=coverage, note="Please send the back too."
    )
    page = client_for(cast.patient_user).get("/billing/insurance/").content.decode()
    assert "The clinic could not accept your last change" in page
    assert "Please send the back too." in page
