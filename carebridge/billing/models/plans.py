"""Payment plans: a balance spread over monthly instalments within the clinic's rules."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.billing.money import DEFAULT_CURRENCY
from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Paid off")
    CANCELLED = "cancelled", _("Stopped")


class PaymentPlan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="payment_plans")
    total_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    instalment_count = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One active plan per patient at a time.
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status="active"), name="plan_one_active"
            ),
            models.CheckConstraint(condition=Q(total_cents__gt=0), name="plan_positive"),
        ]

    def __str__(self) -> str:
        return f"plan {self.total_cents} in {self.instalment_count}"


class Instalment(models.Model):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount_cents = models.BigIntegerField()
    paid_cents = models.BigIntegerField(default=0)
    # When the reminder before its due date was queued (so it is sent once).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_unique_number"),
        ]
        indexes = [models.Index(fields=["due_on", "reminded_at"])]

    def __str__(self) -> str:
        return f"{self.number}: {self.amount_cents} due {self.due_on}"

    @property
    def left_cents(self) -> int:
        return max(self.amount_cents - self.paid_cents, 0)
