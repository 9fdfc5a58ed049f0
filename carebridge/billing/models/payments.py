"""Payments, refunds, and the provider's webhook deliveries already handled.

A `Payment` is written as "pending" before the payer is sent to the provider's hosted page, and
changes the balance only when it succeeds (one ledger entry per statement it pays). Its
`idempotency_key` (one per Pay form shown) makes a double-click one payment; the provider's
checkout id is unique, and a `WebhookEvent` row per delivered event makes a replayed webhook a
no-op.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.billing.models.ledger import Statement
from carebridge.billing.money import DEFAULT_CURRENCY
from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient


class Provider(models.TextChoices):
    TEST = "test", _("Test card payments")
    STRIPE = "stripe", _("Card payment online")
    DESK = "desk", _("Paid at the clinic")


class Method(models.TextChoices):
    CARD_ONLINE = "card_online", _("Card, online")
    CASH = "cash", _("Cash")
    CHECK = "check", _("Check")
    CARD_TERMINAL = "card_terminal", _("Card, at the clinic")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Not finished")
    SUCCEEDED = "succeeded", _("Paid")
    FAILED = "failed", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class PayerKind(models.TextChoices):
    PATIENT = "patient", _("The patient")
    PROXY = "proxy", _("A caregiver or parent")
    GUEST = "guest", _("Someone paying as a guest")
    STAFF = "staff", _("The billing office")


def new_receipt_number() -> str:
    return "R" + "".join(secrets.choice("0123456789") for _ in range(9))


class PaymentQuerySet(models.QuerySet["Payment"]):
    def succeeded(self) -> PaymentQuerySet:
        return self.filter(status=PaymentStatus.SUCCEEDED)

    def pending(self) -> PaymentQuerySet:
        return self.filter(status=PaymentStatus.PENDING)


class Payment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="payments")
    # Paying one statement; None pays the balance (oldest statement first).
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    plan = models.ForeignKey(
        "billing.PaymentPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    provider = models.CharField(max_length=10, choices=Provider.choices)
    method = models.CharField(max_length=16, choices=Method.choices)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    # The provider's checkout (session) id, and its payment id once paid.
    provider_reference = models.CharField(max_length=255, blank=True)
    provider_payment_id = models.CharField(max_length=255, blank=True)
    # For desk payments: the check number or card terminal's reference.
    desk_reference = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=64)
    payer_kind = models.CharField(max_length=10, choices=PayerKind.choices)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where the receipt goes (a guest's typed address, or the payer's account address).
    receipt_email = models.EmailField(blank=True)
    receipt_number = models.CharField(max_length=12, default=new_receipt_number)
    failure_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "idempotency_key"], name="payment_unique_idempotency_key"
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="payment_unique_provider_reference",
            ),
            models.UniqueConstraint(fields=["receipt_number"], name="payment_unique_receipt"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_positive"),
        ]
        indexes = [
            models.Index(fields=["clinic", "status", "completed_at"]),
            models.Index(fields=["patient", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.amount_cents} {self.status}"


class Refund(models.Model):
    """Money given back on a payment by billing staff, with the reason shown to the patient."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.BigIntegerField()
    reason = models.CharField(_("reason"), max_length=255)
    provider_reference = models.CharField(max_length=255, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_positive"),
        ]

    def __str__(self) -> str:
        return f"refund {self.amount_cents} of {self.payment_id}"


class WebhookEvent(models.Model):
    """A provider event already handled: a replay of the same event id changes nothing."""

    provider = models.CharField(max_length=10, choices=Provider.choices)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"
