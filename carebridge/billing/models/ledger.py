"""What a patient owes: charges, statements and the ledger that adds them up.

Every change to what a patient owes is one `LedgerEntry` (signed: positive adds to what the
patient owes, negative takes away), written in the same transaction as its cause and with the
patient's `BillingAccount` row locked, so the account's `balance_cents` is always the sum of the
entries. Entries are never changed or removed, except that issuing a statement files the
patient's unbilled entries under it.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.billing.money import DEFAULT_CURRENCY
from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient


class BillingAccount(models.Model):
    """One per patient: the row every money change locks, and the balance kept up to date."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="billing_account"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    balance_cents = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    # From the clinic's FHIR `Account` (see `billing.fhir.accounts`): the number its billing
    # system knows the account by, whom the bills go to, and whether billing is on hold.
    account_number = models.CharField(_("account number"), max_length=64, blank=True)
    guarantor = models.CharField(_("bills go to"), max_length=200, blank=True)
    is_on_hold = models.BooleanField(_("billing on hold"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        permissions = [
            ("manage_billing", "Can take payments, adjust, refund and send statements"),
            ("review_insurance", "Can review and accept insurance patients send"),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.balance_cents}"


def new_statement_number() -> str:
    """Ten random digits, shown as 1234-5678-90: printed on paper statements and typed into
    guest pay, so not guessable from another statement's number."""
    return "".join(secrets.choice("0123456789") for _ in range(10))


class StatementQuerySet(models.QuerySet["Statement"]):
    def for_patient(self, patient: Patient) -> StatementQuerySet:
        return self.filter(patient=patient)

    def create_numbered(self, *, clinic_id: int, **fields: object) -> Statement:
        """A new statement with a number no other statement of the clinic has. Ten random
        digits rarely meet, but a clinic sends millions of statements over the years: a number
        already taken is drawn again rather than refused by the unique constraint."""
        number = new_statement_number()
        while self.filter(clinic_id=clinic_id, number=number).exists():
            number = new_statement_number()
        return self.create(clinic_id=clinic_id, number=number, **fields)


class Statement(models.Model):
    """A bill sent to the patient: the charges, payments and adjustments filed under it.

    Its balance is the sum of its ledger entries (see `selectors`). An imported FHIR `Invoice`
    is a statement with the invoice's id in `fhir_id`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="statements")
    number = models.CharField(_("statement number"), max_length=20, default=new_statement_number)
    issued_on = models.DateField(_("date"))
    due_on = models.DateField(_("due by"))
    # What the patient owed on it when it was issued (its entries' sum at that moment).
    amount_cents = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    fhir_id = models.CharField(max_length=64, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "number"], name="statement_unique_number"),
            models.UniqueConstraint(
                fields=["clinic", "fhir_id"],
                condition=~Q(fhir_id=""),
                name="statement_unique_fhir_id",
            ),
        ]
        indexes = [models.Index(fields=["patient", "-issued_on"])]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        digits = self.number
        return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}" if len(digits) == 10 else digits


class ChargeSource(models.TextChoices):
    """Where a charge came from: a FHIR resource of the clinic's systems, or billing staff."""

    CLAIM = "Claim", _("Claim sent to insurance")
    EOB = "ExplanationOfBenefit", _("Explanation of benefits")
    INVOICE = "Invoice", _("Invoice")
    CHARGE_ITEM = "ChargeItem", _("Charge")
    MANUAL = "manual", _("Posted by the billing office")


class ChargeStatus(models.TextChoices):
    # Sent to insurance, not yet processed: the patient owes nothing for it yet.
    WITH_INSURANCE = "with_insurance", _("Waiting for your insurance")
    # Processed (or self-pay): `patient_cents` is what the patient owes for it.
    BILLED = "billed", _("Billed")
    # Replaced by a later resource (a claim by its explanation of benefits).
    SUPERSEDED = "superseded", _("Replaced")


class Charge(models.Model):
    """One line of a visit's bill: what was done, what it cost, what insurance paid or adjusted
    and what is left for the patient. Lines of one visit share `visit_key`.

    Imported lines are keyed by (source, source id, line) so importing again changes a line
    instead of adding one; a change in what the patient owes is posted to the ledger as the
    difference.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="charges")
    source = models.CharField(max_length=24, choices=ChargeSource.choices)
    source_id = models.CharField(max_length=64, blank=True)
    line = models.PositiveIntegerField(default=1)
    # Lines of the same visit (the encounter's id, else the claim's) are shown together.
    visit_key = models.CharField(max_length=64, blank=True)
    service_date = models.DateField(_("date of service"))
    description = models.CharField(_("what it was for"), max_length=255)
    clinician = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=ChargeStatus.choices)
    billed_cents = models.BigIntegerField(default=0)
    insurance_paid_cents = models.BigIntegerField(default=0)
    adjusted_cents = models.BigIntegerField(default=0)
    # What this line adds to what the patient owes (0 while with insurance or superseded).
    patient_cents = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-service_date", "visit_key", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "source", "source_id", "line"],
                condition=~Q(source="manual"),
                name="charge_unique_source_line",
            ),
        ]
        indexes = [models.Index(fields=["patient", "-service_date"])]

    def __str__(self) -> str:
        return f"{self.service_date} {self.description}"


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("Charge")
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")
    ADJUSTMENT = "adjustment", _("Adjustment")


class LedgerEntry(models.Model):
    """One change to what a patient owes, signed (positive: owes more)."""

    id = models.BigAutoField(primary_key=True)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="ledger_entries")
    # None until a statement is issued that includes it ("not yet on a statement").
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    charge = models.ForeignKey(
        Charge, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    payment = models.ForeignKey(
        "billing.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    refund = models.ForeignKey(
        "billing.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    # For adjustments and refunds: why, in the words staff gave (shown to the patient).
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-created_at"]),
            models.Index(fields=["statement"]),
            models.Index(fields=["clinic", "kind", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents}"
