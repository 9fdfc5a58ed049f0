"""The patient's insurance: what the clinic's systems say (FHIR `Coverage`), and changes the
patient sends with photos of their card, which the front desk reviews."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient


class CoverageSource(models.TextChoices):
    IMPORTED = "imported", _("From the clinic's records")
    PATIENT = "patient", _("Sent by the patient")
    STAFF = "staff", _("Entered by the clinic")


class CoverageStatus(models.TextChoices):
    # Sent by the patient, waiting for the front desk.
    PENDING = "pending", _("Waiting for the clinic to check")
    CURRENT = "current", _("In use")
    REPLACED = "replaced", _("Replaced")
    DECLINED = "declined", _("Not accepted")


class InsuranceCoverage(models.Model):
    """One insurance (or self-pay) on file. At most one is current per patient; check-in and
    booking use it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="coverages")
    source = models.CharField(max_length=10, choices=CoverageSource.choices)
    status = models.CharField(max_length=10, choices=CoverageStatus.choices)
    fhir_id = models.CharField(max_length=64, blank=True)
    is_self_pay = models.BooleanField(_("no insurance (paying myself)"), default=False)
    payer_name = models.CharField(_("insurance company"), max_length=120, blank=True)
    plan_name = models.CharField(_("plan"), max_length=120, blank=True)
    member_id = models.CharField(_("member ID"), max_length=60, blank=True)
    group_number = models.CharField(_("group number"), max_length=60, blank=True)
    subscriber_name = models.CharField(_("policy holder"), max_length=120, blank=True)
    subscriber_relationship = models.CharField(
        _("policy holder is the patient's"), max_length=40, blank=True
    )
    copay_cents = models.PositiveIntegerField(_("copay (cents)"), null=True, blank=True)
    # Card photos, re-encoded by the attachment checks: file names under
    # CAREBRIDGE_ATTACHMENT_DIR/insurance/ (private storage, see services.insurance).
    card_front = models.CharField(max_length=255, blank=True)
    card_back = models.CharField(max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status="current"), name="coverage_one_current"
            ),
            models.UniqueConstraint(
                fields=["clinic", "fhir_id"],
                condition=~Q(fhir_id=""),
                name="coverage_unique_fhir_id",
            ),
        ]

    def __str__(self) -> str:
        return "self-pay" if self.is_self_pay else self.payer_name
