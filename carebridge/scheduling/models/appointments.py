"""Appointments booked in Carebridge, and requests for visits the clinic arranges.

The appointments the EHR sent as FHIR resources stay in the record store (`records`); the
`Appointment` here is one booked through the portal or by the clinic's staff.
Privacy rule: an appointment's `reason` is the patient's own words and is health information: it is
never put in e-mails, URLs or logs.
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Location, Practitioner
from carebridge.patients.models import Patient
from carebridge.scheduling.models.setup import VisitType


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    BOOKED = "booked", _("Booked")
    ARRIVED = "arrived", _("Checked in")
    COMPLETED = "completed", _("Attended")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Missed")
    DECLINED = "declined", _("Declined")


# Statuses that hold the practitioner's time: no two of these may share a start.
ACTIVE_STATUSES: tuple[str, ...] = (AppointmentStatus.BOOKED.value, AppointmentStatus.ARRIVED.value)


class BookedAs(models.TextChoices):
    SELF = "self", _("The patient")
    PROXY = "proxy", _("A caregiver or parent")
    STAFF = "staff", _("Clinic staff")


def new_video_room() -> str:
    return secrets.token_urlsafe(24)


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def active(self) -> AppointmentQuerySet:
        """Appointments holding their time: booked or checked in."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def overlapping(self, start: datetime.datetime, end: datetime.datetime) -> AppointmentQuerySet:
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def for_patient(self, patient: Patient) -> AppointmentQuerySet:
        return self.filter(patient=patient)

    def completed(self) -> AppointmentQuerySet:
        return self.filter(status=AppointmentStatus.COMPLETED)


class Appointment(models.Model):
    """A visit booked for a patient with a practitioner at a place and time (UTC)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="appointments"
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    # The patient's own words: health information, never in e-mails, URLs or logs.
    reason = models.TextField(_("reason for the visit"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    booked_as = models.CharField(_("booked as"), max_length=8, choices=BookedAs.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # The room of a video visit, put into `CAREBRIDGE_VIDEO_URL_PATTERN`; random, never guessable.
    video_room = models.CharField(_("video room"), max_length=64, default=new_video_room)
    # Staff's marks of the day: when the patient arrived, when the visit ended or was missed.
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        permissions = [("manage_schedule", "Can see and manage the clinic's schedule")]
        constraints = [
            # The database's backstop against double booking; `book_appointment` also locks.
            models.UniqueConstraint(
                fields=["practitioner", "starts_at"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="appointment_one_active_per_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["practitioner", "starts_at"], name="appointment_pract_start"),
            models.Index(fields=["patient", "starts_at"], name="appointment_patient_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the clinic")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class AppointmentRequest(models.Model):
    """A patient's request for a kind of visit that cannot be booked online; staff answer it
    (approving it books an appointment, linked here).

    `reason` and `preferences` are the patient's own words: health information, never in
    e-mails, URLs or logs.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="appointment_requests"
    )
    visit_type = models.ForeignKey(
        VisitType, on_delete=models.PROTECT, related_name="appointment_requests"
    )
    reason = models.TextField(_("reason for the visit"), blank=True)
    preferences = models.TextField(_("preferred days and times"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    booked_as = models.CharField(_("sent as"), max_length=8, choices=BookedAs.choices)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    staff_reply = models.TextField(_("the clinic's reply"), blank=True)
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("appointment booked"),
    )

    class Meta:
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["patient", "created_at"], name="appt_request_patient_created")
        ]

    def __str__(self) -> str:
        return f"{self.visit_type} ({self.get_status_display()})"
