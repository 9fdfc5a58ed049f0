"""Insurance changes: sent with real card photos (re-encoded, without metadata), refused
without leaving a file or a row, replaced, accepted and declined by the front desk; the
expected copay.

Cast: Pat (the patient), Fran (front desk, reviews insurance).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pytest_django.fixtures import Settings

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import CoverageSource, CoverageStatus, InsuranceCoverage
from carebridge.billing.services.insurance import (
    CardPhoto,
    CoverageFields,
    accept_coverage,
    card_path,
    choose_self_pay,
    current_coverage,
    decline_coverage,
    expected_copay,
    insurance_summary,
    submit_coverage,
)
from carebridge.billing.tests.plan_fixtures import as_patient, as_staff, picture
from carebridge.testing.personas import Cast

FIELDS = CoverageFields(
    payer_name=" Blue Shield ", member_id="XJ-1234", plan_name="PPO Gold", group_number="G-77"
)


@pytest.fixture(autouse=True)
def card_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path
    return tmp_path / "insurance"


def _files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def _submit(cast: Cast, **photos: CardPhoto | None) -> InsuranceCoverage:
    return submit_coverage(actor=as_patient(cast), patient=cast.patient, fields=FIELDS, **photos)


@pytest.mark.django_db
def test_a_change_with_card_photos_waits_for_review(cast: Cast, card_dir: Path) -> None:
    coverage = _submit(
        cast,
        front_photo=CardPhoto("front.jpeg", picture("JPEG")),
        back_photo=CardPhoto("back.png", picture("PNG")),
    )
    assert (coverage.status, coverage.source) == (CoverageStatus.PENDING, CoverageSource.PATIENT)
    assert (coverage.payer_name, coverage.member_id, coverage.group_number) == (
        "Blue Shield",
        "XJ-1234",
        "G-77",
    )
    assert coverage.submitted_by == cast.patient_user
    front, back = card_path(coverage, "front"), card_path(coverage, "back")
    assert front is not None and back is not None
    assert _files(card_dir) == sorted([front, back])
    assert front.suffix == ".jpg" and back.suffix == ".png"
    with Image.open(front) as stored:
        assert stored.size == (24, 16) and not stored.getexif()
    assert current_coverage(cast.patient) is None
    event = AuditEvent.objects.get(object_type="insurance")
    assert (event.action, event.patient_id) == ("create", cast.patient.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.4 not a photo", "wrong_type"),
        (b"hello, not a picture", "wrong_type"),
        (b"\x89PNG\r\n\x1a\n broken", "damaged"),
    ],
)
def test_a_photo_that_is_not_a_picture_leaves_no_file_and_no_row(
    cast: Cast, card_dir: Path, data: bytes, code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _submit(
            cast,
            front_photo=CardPhoto("front.png", picture("PNG")),
            back_photo=CardPhoto("back.png", data),
        )
    assert refused.value.code == code
    assert _files(card_dir) == []
    assert not InsuranceCoverage.objects.exists()
    assert not AuditEvent.objects.filter(object_type="insurance").exists()


@pytest.mark.django_db
def test_a_failure_saving_the_row_removes_the_photos(
    cast: Cast, card_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr("carebridge.billing.services.insurance._save_pending", broken)
    with pytest.raises(RuntimeError):
        _submit(cast, front_photo=CardPhoto("front.png", picture("PNG")))
    assert _files(card_dir) == []


@pytest.mark.django_db
def test_company_and_member_id_are_needed(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        submit_coverage(
            actor=as_patient(cast),
            patient=cast.patient,
            fields=CoverageFields(payer_name="Blue Shield", member_id="  "),
        )
    assert not InsuranceCoverage.objects.exists()


@pytest.mark.django_db
def test_the_front_desk_accepts_and_the_old_coverage_is_replaced(cast: Cast) -> None:
    first = _submit(cast)
    accept_coverage(actor=as_staff(cast, "front_desk"), coverage=first, copay_cents=2500)
    second = choose_self_pay(actor=as_patient(cast), patient=cast.patient)
    summary = insurance_summary(cast.patient)
    assert (summary.current, summary.pending, summary.declined) == (first, second, None)
    accept_coverage(actor=as_staff(cast, "front_desk"), coverage=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (CoverageStatus.REPLACED, CoverageStatus.CURRENT)
    assert (first.copay_cents, second.reviewed_by) == (2500, cast.front_desk)
    assert current_coverage(cast.patient) == second
    with pytest.raises(ValidationError):
        accept_coverage(actor=as_staff(cast, "front_desk"), coverage=second)
    updates = AuditEvent.objects.filter(object_type="insurance", action="update")
    assert updates.count() == 2


@pytest.mark.django_db
def test_a_newer_change_replaces_one_still_waiting(cast: Cast) -> None:
    first = _submit(cast)
    second = _submit(cast)
    first.refresh_from_db()
    assert first.status == CoverageStatus.REPLACED
    assert insurance_summary(cast.patient).pending == second


@pytest.mark.django_db
def test_a_declined_change_keeps_its_note_until_a_newer_one(cast: Cast) -> None:
    coverage = _submit(cast)
    with pytest.raises(ValidationError):
        decline_coverage(actor=as_staff(cast, "front_desk"), coverage=coverage, note="  ")
    decline_coverage(
        actor=as_staff(cast, "front_desk"),
        coverage=coverage,
        note="The photo is blurred. Please take it again.",
    )
    summary = insurance_summary(cast.patient)
    assert summary.declined is not None and summary.current is None
    assert summary.declined.review_note == "The photo is blurred. Please take it again."
    assert current_coverage(cast.patient) is None
    _submit(cast)
    assert insurance_summary(cast.patient).declined is None


@pytest.mark.django_db
def test_the_expected_copay_comes_from_the_coverage_then_the_visit_type(cast: Cast) -> None:
    assert expected_copay(cast.patient, 3000).cents == 3000
    coverage = _submit(cast)
    accept_coverage(actor=as_staff(cast, "front_desk"), coverage=coverage)
    assert expected_copay(cast.patient, 3000).cents == 3000
    InsuranceCoverage.objects.filter(pk=coverage.pk).update(copay_cents=1500)
    assert expected_copay(cast.patient, 3000).cents == 1500
    self_pay = choose_self_pay(actor=as_patient(cast), patient=cast.patient)
    accept_coverage(actor=as_staff(cast, "front_desk"), coverage=self_pay, copay_cents=999)
    expected = expected_copay(cast.patient, 3000)
    assert (expected.cents, expected.self_pay) == (None, True)
