"""The patient's insurance: what is on file, changes the patient sends (with photos of the
card, or "I will pay myself"), and the front desk's review of them.

A change is saved as a pending `InsuranceCoverage`; a newer change replaces a pending one. The
front desk accepts it (it becomes current and the current one is replaced) or declines it with
a note the patient sees. Card photos go through the message attachment checks (JPEG or PNG
only, decoded and re-encoded from their pixels, without metadata) and are written to private
storage all or nothing before the row is saved, and removed again if the row is not.

Audit rule: every change is an "insurance" event against the patient, in its transaction.
Privacy rule: no e-mail is sent; card photos are never served from a public address.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.billing.models import CoverageSource, CoverageStatus, InsuranceCoverage
from carebridge.lib.files import make_folder, remove_all, write_all
from carebridge.messaging.attachments import AttachmentError, check_attachment, clean_name
from carebridge.messaging.attachments.checks import sniff
from carebridge.messaging.attachments.pictures import JPEG, PNG

if TYPE_CHECKING:
    from carebridge.core.actor import Actor
    from carebridge.patients.models import Patient

INSURANCE_OBJECT = "insurance"
CARD_FOLDER = "insurance"
CARD_TYPES = {JPEG: ".jpg", PNG: ".png"}
FRONT, BACK = "front", "back"


@dataclass(frozen=True)
class CoverageFields:
    """What the patient typed from the card; the company and member ID are needed."""

    payer_name: str
    member_id: str
    plan_name: str = ""
    group_number: str = ""
    subscriber_name: str = ""
    subscriber_relationship: str = ""

    def cleaned(self) -> dict[str, str]:
        return {item.name: getattr(self, item.name).strip() for item in fields(self)}


@dataclass(frozen=True)
class CardPhoto:
    """A photo as uploaded: the name the person gave it and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class InsuranceSummary:
    """What the insurance page shows: the coverage in use, a change waiting for review, and
    the latest declined change newer than both (with the clinic's note)."""

    current: InsuranceCoverage | None
    pending: InsuranceCoverage | None
    declined: InsuranceCoverage | None


def current_coverage(patient: Patient) -> InsuranceCoverage | None:
    """The coverage check-in and booking use, or None when nothing is on file."""
    return InsuranceCoverage.objects.filter(patient=patient, status=CoverageStatus.CURRENT).first()


def insurance_summary(patient: Patient) -> InsuranceSummary:
    """The current, pending and latest declined coverage (one query)."""
    rows = InsuranceCoverage.objects.filter(
        patient=patient,
        status__in=[CoverageStatus.CURRENT, CoverageStatus.PENDING, CoverageStatus.DECLINED],
    ).order_by("-created_at")
    by_status: dict[str, InsuranceCoverage] = {}
    for row in rows:
        by_status.setdefault(row.status, row)
    declined = by_status.get(CoverageStatus.DECLINED)
    newest = max(
        (row.created_at for row in by_status.values() if row.status != CoverageStatus.DECLINED),
        default=None,
    )
    if declined is not None and newest is not None and declined.created_at <= newest:
        declined = None
    return InsuranceSummary(
        by_status.get(CoverageStatus.CURRENT), by_status.get(CoverageStatus.PENDING), declined
    )


def card_dir() -> Path:
    return Path(settings.CAREBRIDGE_ATTACHMENT_DIR) / CARD_FOLDER


def card_path(coverage: InsuranceCoverage, side: str) -> Path | None:
    """Where a card photo is kept, or None when that side has none."""
    stored = coverage.card_front if side == FRONT else coverage.card_back if side == BACK else ""
    return card_dir() / stored if stored else None


def check_card_photo(photo: CardPhoto) -> tuple[bytes, str]:
    """The re-encoded picture and its extension, or `AttachmentError`: only JPEG and PNG
    pictures (a PDF or anything else is refused before it is read)."""
    kind = sniff(photo.data)
    if kind not in CARD_TYPES:
        raise AttachmentError(
            _("“%(name)s” is not a photo (JPEG or PNG). Please take a photo of the card.")
            % {"name": clean_name(photo.name)},
            code="wrong_type",
        )
    checked = check_attachment(photo.name, photo.data)
    return checked.data, CARD_TYPES[checked.content_type]


def write_card_photos(
    front: CardPhoto | None, back: CardPhoto | None
) -> tuple[Path | None, Path | None]:
    """Check both photos, then write them under random names, all or none (each side's path,
    None for a side not sent)."""
    checked = {
        side: check_card_photo(photo)
        for side, photo in ((FRONT, front), (BACK, back))
        if photo is not None
    }
    if not checked:
        return None, None
    refusal = _("We could not save the card photos right now. Nothing was sent. Try again later.")
    folder = card_dir()
    make_folder(folder, refusal=refusal)
    targets = {
        side: folder / f"{secrets.token_hex(16)}{ext}" for side, (_d, ext) in checked.items()
    }
    write_all([(targets[side], [data]) for side, (data, _e) in checked.items()], refusal=refusal)
    return targets.get(FRONT), targets.get(BACK)


def submit_coverage(
    *,
    actor: Actor,
    patient: Patient,
    fields: CoverageFields,
    front_photo: CardPhoto | None = None,
    back_photo: CardPhoto | None = None,
) -> InsuranceCoverage:
    """Send new insurance details for the front desk to check, as the patient or a caregiver
    or parent with the billing scope (or from check-in).

    Refused (ValidationError) without a company and member ID, or for a photo that is not a
    readable JPEG or PNG; photos are written before the row and removed if it is not saved, so
    a refusal leaves no file and no row. A change already waiting is replaced by this one.
    Audit: "insurance" created, against the patient.
    """
    values = fields.cleaned()
    if not (values["payer_name"] and values["member_id"]):
        raise ValidationError(
            _("Enter the insurance company and the member ID from the card."), code="incomplete"
        )
    front, back = write_card_photos(front_photo, back_photo)
    stored = {"card_front": front.name if front else "", "card_back": back.name if back else ""}
    try:
        return _save_pending(actor, patient, values | stored)
    except BaseException:
        remove_all(path for path in (front, back) if path is not None)
        raise


def choose_self_pay(*, actor: Actor, patient: Patient) -> InsuranceCoverage:
    """Say the patient has no insurance and pays themself; the front desk checks it like any
    change. Audit: "insurance" created, against the patient."""
    return _save_pending(actor, patient, {"is_self_pay": True})


def _save_pending(
    actor: Actor, patient: Patient, values: Mapping[str, object]
) -> InsuranceCoverage:
    with transaction.atomic():
        waiting = InsuranceCoverage.objects.select_for_update().filter(
            patient=patient, status=CoverageStatus.PENDING
        )
        waiting.update(status=CoverageStatus.REPLACED)
        coverage = InsuranceCoverage.objects.create(
            clinic_id=patient.clinic_id,
            patient=patient,
            source=CoverageSource.PATIENT,
            status=CoverageStatus.PENDING,
            submitted_by=actor.user,
            created_at=actor.now,
            **values,
        )
        _audit(actor, coverage, AuditAction.CREATE)
    return coverage


def accept_coverage(
    *, actor: Actor, coverage: InsuranceCoverage, copay_cents: int | None = None
) -> InsuranceCoverage:
    """The front desk accepts a waiting change: it becomes the coverage in use (with the copay
    from the card, when given) and the one in use before is replaced. Refused when it is no
    longer waiting. Audit: "insurance" updated, against the patient."""
    with transaction.atomic():
        coverage = _lock_pending(coverage)
        InsuranceCoverage.objects.filter(
            patient_id=coverage.patient_id, status=CoverageStatus.CURRENT
        ).update(status=CoverageStatus.REPLACED)
        coverage.status = CoverageStatus.CURRENT
        if copay_cents is not None and not coverage.is_self_pay:
            coverage.copay_cents = copay_cents
        _mark_reviewed(actor, coverage, ["status", "copay_cents"])
    return coverage


def decline_coverage(*, actor: Actor, coverage: InsuranceCoverage, note: str) -> InsuranceCoverage:
    """The front desk declines a waiting change with a note the patient reads (say what to
    send instead). Refused without a note, or when it is no longer waiting. Audit: "insurance"
    updated, against the patient."""
    note = note.strip()
    if not note:
        raise ValidationError(_("Write a note for the patient saying why."), code="no_note")
    with transaction.atomic():
        coverage = _lock_pending(coverage)
        coverage.status = CoverageStatus.DECLINED
        coverage.review_note = note[:255]
        _mark_reviewed(actor, coverage, ["status", "review_note"])
    return coverage


def _lock_pending(coverage: InsuranceCoverage) -> InsuranceCoverage:
    locked = (
        InsuranceCoverage.objects.select_for_update(of=("self",))
        .select_related("patient")
        .get(pk=coverage.pk)
    )
    if locked.status != CoverageStatus.PENDING:
        raise ValidationError(_("This change has already been reviewed."), code="reviewed")
    return locked


def _mark_reviewed(actor: Actor, coverage: InsuranceCoverage, changed: list[str]) -> None:
    coverage.reviewed_by = actor.user
    coverage.reviewed_at = actor.now
    coverage.save(update_fields=[*changed, "reviewed_by", "reviewed_at"])
    _audit(actor, coverage, AuditAction.UPDATE)


def _audit(actor: Actor, coverage: InsuranceCoverage, action: AuditAction) -> None:
    record_event(
        actor=actor.user,
        action=action,
        object_type=INSURANCE_OBJECT,
        object_id=coverage.pk,
        patient=coverage.patient,
        acting_as=actor.acting_as,
        request=actor.request,
    )


# --- The expected copay at booking and check-in ------------------------------------------------


@dataclass(frozen=True)
class ExpectedCopay:
    """What the patient may pay at a visit: `self_pay` (billed for the visit), else `cents`
    (None or 0: nothing expected)."""

    cents: int | None
    self_pay: bool = False


def expected_copay(patient: Patient, visit_type_copay_cents: int | None) -> ExpectedCopay:
    """The current coverage's copay when known, else the visit type's; self-pay patients are
    billed for the visit (one query)."""
    coverage = current_coverage(patient)
    if coverage is not None and coverage.is_self_pay:
        return ExpectedCopay(None, self_pay=True)
    if coverage is not None and coverage.copay_cents is not None:
        return ExpectedCopay(coverage.copay_cents)
    return ExpectedCopay(visit_type_copay_cents)


def coverage_differs(coverage: InsuranceCoverage | None, fields: CoverageFields) -> bool:
    """Whether what was typed differs from the coverage on file (company, member ID, group)."""
    if coverage is None or coverage.is_self_pay:
        return True
    typed = fields.cleaned()
    return any(
        typed[name].casefold() != getattr(coverage, name).strip().casefold()
        for name in ("payer_name", "member_id", "group_number")
    )


def submit_from_check_in(
    *, actor: Actor, patient: Patient, fields: CoverageFields | None
) -> InsuranceCoverage | None:
    """Send the insurance typed at check-in (`fields`, or None for "no insurance") for the
    front desk to check, when it differs from the coverage in use and from a change already
    waiting; None when nothing was sent. Runs in the caller's transaction; no photos. Audit:
    "insurance" created, as `submit_coverage`."""
    summary = insurance_summary(patient)
    if fields is None:
        unchanged = [c for c in (summary.current, summary.pending) if c and c.is_self_pay]
        return None if unchanged else choose_self_pay(actor=actor, patient=patient)
    if not any(
        coverage is not None and not coverage_differs(coverage, fields)
        for coverage in (summary.current, summary.pending)
    ):
        return _save_pending(actor, patient, fields.cleaned())
    return None
