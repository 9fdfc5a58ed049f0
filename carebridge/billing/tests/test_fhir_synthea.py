"""A real Synthea patient's claims and explanations of benefits, imported to the cent.

Abdul Koepp's bundle (shared reference data; skipped when it is not here). His check-up of
24 December 2011 (EOB 5217c6ae…) was worked out by hand from the file:
- the flu shot: submitted $140.52, allowed $140.52, provider paid 112.416 → $112.42,
  coinsurance 28.104 → $28.10; adjusted $0.00; he owes $28.10;
- the medication review: submitted $755.86, paid 604.688 → $604.69, coinsurance
  151.172 → $151.17; he owes $151.17;
- the encounter line has no adjudication, so it is no charge line.
The visit owes $179.27: rounded per line (28.10 + 151.17), not the $179.28 that rounding the
unrounded sum (179.276) would give.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from carebridge.billing.models import (
    BillingAccount,
    Charge,
    ChargeSource,
    ChargeStatus,
    LedgerEntry,
)
from carebridge.patients.models import Patient
from carebridge.records.tests.importing_files import run
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

# Beside the checkout (as CI has it), or beside the folder of a git worktree.
_ROOT = Path(__file__).resolve().parents[3]
SYNTHEA = next(
    (
        folder / "shared" / "data" / "synthea-r4"
        for folder in (_ROOT.parent, _ROOT.parent.parent)
        if (folder / "shared" / "data" / "synthea-r4").is_dir()
    ),
    _ROOT.parent / "shared" / "data" / "synthea-r4",
)
ABDUL = "Abdul_Koepp_e925b0f3-8006-43f6-aa31-94bd215e55e7.json.gz"
CHECK_UP_EOB = "5217c6ae-032a-4968-a8af-99f555767062"


@pytest.fixture
def abdul_file(tmp_path: Path) -> Path:
    if not (SYNTHEA / ABDUL).is_file():
        pytest.skip(f"the shared reference data is not here ({SYNTHEA}): see shared/data/README.md")
    copy = tmp_path / ABDUL
    shutil.copyfile(SYNTHEA / ABDUL, copy)
    return copy


def _abdul() -> Patient:
    return Patient.objects.get(given_name="Abdul", family_name="Koepp")


def test_a_synthea_eob_is_billed_to_the_cent(cast: Cast, abdul_file: Path) -> None:
    summary = run(cast.clinic, abdul_file)
    assert summary["errors"] == [] and summary["warnings"] == []
    lines = Charge.objects.filter(
        patient=_abdul(), source=ChargeSource.EOB, source_id=CHECK_UP_EOB
    ).order_by("line")
    assert [
        (
            line.line,
            line.description,
            line.service_date,
            line.place,
            line.status,
            line.billed_cents,
            line.insurance_paid_cents,
            line.adjusted_cents,
            line.patient_cents,
        )
        for line in lines
    ] == [
        (
            2,
            "Influenza, seasonal, injectable, preservative free",
            datetime.date(2011, 12, 24),
            "Off Campus-Outpatient Hospital",
            ChargeStatus.BILLED,
            14052,
            11242,
            0,
            2810,
        ),
        (
            3,
            "Documentation of current medications",
            datetime.date(2011, 12, 24),
            "Off Campus-Outpatient Hospital",
            ChargeStatus.BILLED,
            75586,
            60469,
            0,
            15117,
        ),
    ]
    assert lines[0].visit_key == "5387227c-b388-42eb-b31b-8538872ac415"
    assert sum(line.patient_cents for line in lines) == 17927


def test_every_claim_with_an_eob_is_replaced_and_the_balance_is_the_ledger(
    cast: Cast, abdul_file: Path
) -> None:
    run(cast.clinic, abdul_file)
    abdul = _abdul()
    charges = Charge.objects.filter(patient=abdul)
    claims = charges.filter(source=ChargeSource.CLAIM)
    # 18 claims, 16 explained: the 2 medication claims without an EOB wait for insurance.
    assert sorted(set(claims.values_list("status", flat=True))) == [ChargeStatus.WITH_INSURANCE]
    assert claims.values("source_id").distinct().count() == 2
    owed = sum(charges.values_list("patient_cents", flat=True))
    account = BillingAccount.objects.get(patient=abdul)
    entries = sum(LedgerEntry.objects.filter(patient=abdul).values_list("amount_cents", flat=True))
    assert account.balance_cents == owed == entries


def test_importing_the_synthea_bundle_again_changes_no_money(cast: Cast, abdul_file: Path) -> None:
    run(cast.clinic, abdul_file)
    before = (
        LedgerEntry.objects.count(),
        BillingAccount.objects.get(patient=_abdul()).balance_cents,
    )
    run(cast.clinic, abdul_file)
    after = (
        LedgerEntry.objects.count(),
        BillingAccount.objects.get(patient=_abdul()).balance_cents,
    )
    assert after == before


def test_all_41_synthea_patients_bill_with_balances_that_add_up(cast: Cast) -> None:
    if not SYNTHEA.is_dir():
        pytest.skip(f"the shared reference data is not here ({SYNTHEA}): see shared/data/README.md")
    summary = run(cast.clinic, SYNTHEA)
    assert summary["warnings"] == []
    by_patient: dict[object, int] = {}
    for patient_id, cents in Charge.objects.values_list("patient_id", "patient_cents"):
        by_patient[patient_id] = by_patient.get(patient_id, 0) + cents
    ledger: dict[object, int] = {}
    for patient_id, cents in LedgerEntry.objects.values_list("patient_id", "amount_cents"):
        ledger[patient_id] = ledger.get(patient_id, 0) + cents
    balances = dict(BillingAccount.objects.values_list("patient_id", "balance_cents"))
    assert len(balances) == 41
    assert balances == by_patient == ledger
    # A claim whose EOB came with it adds no lines; the others wait for insurance, owing nothing.
    waiting = Charge.objects.filter(source=ChargeSource.CLAIM).exclude(
        status=ChargeStatus.WITH_INSURANCE
    )
    assert (waiting.count(), Charge.objects.filter(patient_cents__lt=0).count()) == (0, 0)
