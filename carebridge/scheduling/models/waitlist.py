"""The waiting list for earlier times, and the offers of freed times."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Location, Practitioner
from carebridge.patients.models import Patient
from carebridge.scheduling.models.appointments import Appointment, BookedAs
from carebridge.scheduling.models.setup import VisitType


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an earlier time")
    BOOKED = "booked", _("Got a time")
    LEFT = "left", _("Taken off the list")


class WaitlistEntryQuerySet(models.QuerySet["WaitlistEntry"]):
    def waiting(self) -> WaitlistEntryQuerySet:
        return self.filter(status=WaitlistStatus.WAITING)

    def for_patient(self, patient: Patient) -> WaitlistEntryQuerySet:
        return self.filter(patient=patient)


class WaitlistEntry(models.Model):
    """A patient's "tell me if an earlier time opens" for a visit type, with any practitioner
    or place (empty) or a chosen one. With `appointment`, accepting an offer moves that
    appointment to the earlier time; without, it books a new one. Entries are offered freed
    times in the order they joined (`created_at`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="waitlist")
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT, related_name="waitlist")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="waitlist"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="waitlist"
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        verbose_name=_("appointment to move earlier"),
    )
    # The patient's own words for a new booking: health information, never e-mailed or logged.
    reason = models.TextField(_("reason for the visit"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_as = models.CharField(_("added as"), max_length=8, choices=BookedAs.choices)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["visit_type", "status", "created_at"], name="waitlist_type_order")
        ]

    def __str__(self) -> str:
        return f"{self.visit_type} ({self.get_status_display()})"


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    TAKEN = "taken", _("Taken by someone else")


class WaitlistOffer(models.Model):
    """A freed time offered to one waitlist entry by e-mail until `expires_at`; several entries
    may hold offers of one time, and the first to accept gets it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointment booked"),
    )

    class Meta:
        verbose_name = _("waitlist offer")
        verbose_name_plural = _("waitlist offers")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "practitioner", "starts_at"], name="waitlist_offer_once_per_time"
            )
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="waitlist_offer_open")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC ({self.get_status_display()})"
