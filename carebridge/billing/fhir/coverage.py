"""`Coverage` as insurance on file (rules in `docs/fhir-mapping.md`).

Each Coverage is one `InsuranceCoverage` row (source "imported", keyed by its id). The latest
active one is current, unless the patient already has a current one they sent or the clinic
entered: that stays in use and the imported ones are kept as replaced.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from carebridge.billing.fhir.amounts import money_cents
from carebridge.billing.fhir.details import Names, describe
from carebridge.billing.models import CoverageSource, CoverageStatus, InsuranceCoverage

if TYPE_CHECKING:
    from carebridge.patients.models import Patient

Json = Mapping[str, Any]


def coverage_fields(coverage: Json, names: Names) -> dict[str, Any]:
    """The columns of `InsuranceCoverage` a Coverage fills in. Raises `NotBillableError` for a
    copay in another currency or unreadable."""
    plan, group = _class_of(coverage, "plan"), _class_of(coverage, "group")
    payor = next(iter(coverage.get("payor") or []), None)
    return {
        "payer_name": names.of(payor)[:120],
        "plan_name": (plan.get("name") or plan.get("value") or describe(coverage.get("type")))[
            :120
        ],
        "member_id": str(coverage.get("subscriberId") or _member_identifier(coverage))[:60],
        "group_number": str(group.get("value") or "")[:60],
        "subscriber_name": names.of(coverage.get("subscriber"))[:120],
        "subscriber_relationship": describe(coverage.get("relationship"))[:40],
        "copay_cents": _copay(coverage),
    }


def save_coverages(
    *, patient: Patient, coverages: list[tuple[Json, dict[str, Any]]], now: datetime.datetime
) -> int:
    """Create or update the patient's imported coverage rows; returns how many changed. The
    caller holds the patient's billing account lock."""
    rows = {
        row.fhir_id: row
        for row in InsuranceCoverage.objects.filter(
            patient=patient, fhir_id__in=[str(c["id"]) for c, _f in coverages]
        )
    }
    current = InsuranceCoverage.objects.filter(
        patient=patient, status=CoverageStatus.CURRENT
    ).first()
    keeps_own = current is not None and current.source != CoverageSource.IMPORTED
    active = [c for c, _f in coverages if c.get("status") == "active"]
    newest = max(active, key=_start, default=None)
    chosen = "" if keeps_own or newest is None else str(newest["id"])
    if chosen and current is not None and current.fhir_id != chosen:
        current.status = CoverageStatus.REPLACED
        current.save(update_fields=["status"])
    changed = 0
    for coverage, fields in coverages:
        status = CoverageStatus.CURRENT if str(coverage["id"]) == chosen else None
        changed += _save(patient, rows.get(str(coverage["id"])), coverage, fields, status, now)
    return changed


def _save(
    patient: Patient,
    row: InsuranceCoverage | None,
    coverage: Json,
    fields: dict[str, Any],
    status: str | None,
    now: datetime.datetime,
) -> int:
    if row is None:
        InsuranceCoverage.objects.create(
            clinic_id=patient.clinic_id,
            patient=patient,
            source=CoverageSource.IMPORTED,
            status=status or CoverageStatus.REPLACED,
            fhir_id=str(coverage["id"])[:64],
            created_at=now,
            **fields,
        )
        return 1
    # An imported row that is no longer the newest active one keeps its status.
    wanted = {**fields, "status": status or row.status}
    if all(getattr(row, name) == value for name, value in wanted.items()):
        return 0
    for name, value in wanted.items():
        setattr(row, name, value)
    row.save(update_fields=list(wanted))
    return 1


def _class_of(coverage: Json, kind: str) -> Json:
    for entry in coverage.get("class") or []:
        codes = [c.get("code") for c in (entry.get("type") or {}).get("coding") or []]
        if kind in codes:
            return entry
    return {}


def _member_identifier(coverage: Json) -> str:
    identifiers = [i for i in coverage.get("identifier") or [] if isinstance(i, Mapping)]
    members = [i for i in identifiers if "MB" in str(i.get("type") or "")]
    first = next(iter([*members, *identifiers]), {})
    return str(first.get("value") or "")


def _copay(coverage: Json) -> int | None:
    for cost in coverage.get("costToBeneficiary") or []:
        kind = cost.get("type") or {}
        codes = [str(c.get("code") or "").lower() for c in kind.get("coding") or []]
        if "copay" in codes or "copay" in str(kind.get("text") or "").lower():
            cents = money_cents(cost.get("valueMoney"))
            if cents is not None:
                return cents
    return None


def _start(coverage: Json) -> str:
    return str((coverage.get("period") or {}).get("start") or "")
