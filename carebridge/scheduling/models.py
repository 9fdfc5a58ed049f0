"""Booking set-up (visit types, weekly hours, time off) and the appointments booked in Carebridge.

The appointments the EHR sent as FHIR resources stay in the record store (`records`); the
`Appointment` here is one booked through the portal or by the clinic's staff.

Times: `WeeklyHours` are clock times in the clinic's time zone; every datetime is stored in UTC.
Privacy rule: an appointment's `reason` is the patient's own words and is health information: it is
never put in e-mails, URLs or logs.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Clinic, Location, Practitioner
from carebridge.patients.models import Patient


class VisitMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")
    LAB = "lab", _("Lab visit")


class OnlineBooking(models.TextChoices):
    """Who may book a visit type online; with NOBODY, asking for one becomes a request."""

    NOBODY = "nobody", _("Nobody: patients send a request")
    ESTABLISHED = "established", _("Patients who have been seen before")
    EVERYONE = "everyone", _("New and returning patients")


class VisitTypeQuerySet(models.QuerySet["VisitType"]):
    def active(self) -> VisitTypeQuerySet:
        return self.filter(is_active=True)

    def for_clinic(self, clinic: Clinic) -> VisitTypeQuerySet:
        return self.filter(clinic=clinic)

    def bookable_online(self) -> VisitTypeQuerySet:
        return self.active().exclude(online_booking=OnlineBooking.NOBODY)


class VisitType(models.Model):
    """A kind of visit a clinic offers, how long it lasts, and who may book it and when."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="visit_types")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description in plain words"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=20)
    mode = models.CharField(
        _("how the visit happens"),
        max_length=10,
        choices=VisitMode.choices,
        default=VisitMode.IN_PERSON,
    )
    online_booking = models.CharField(
        _("who may book online"),
        max_length=12,
        choices=OnlineBooking.choices,
        default=OnlineBooking.ESTABLISHED,
    )
    practitioners = models.ManyToManyField(
        Practitioner,
        related_name="visit_types",
        blank=True,
        verbose_name=_("practitioners who offer it"),
    )
    locations = models.ManyToManyField(
        Location, related_name="visit_types", blank=True, verbose_name=_("places it is offered")
    )
    min_lead_hours = models.PositiveSmallIntegerField(_("soonest booking (hours ahead)"), default=2)
    max_lead_days = models.PositiveSmallIntegerField(_("latest booking (days ahead)"), default=90)
    cancel_before_hours = models.PositiveSmallIntegerField(
        _("patients may cancel until (hours before)"), default=24
    )
    is_active = models.BooleanField(_("offered"), default=True)

    objects = VisitTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit type")
        verbose_name_plural = _("visit types")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="visit_type_unique_name"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="visit_type_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyHoursQuerySet(models.QuerySet["WeeklyHours"]):
    def for_practitioners(self, practitioner_ids: list[int]) -> WeeklyHoursQuerySet:
        return self.filter(practitioner_id__in=practitioner_ids)


class WeeklyHours(models.Model):
    """A block of working time each week, as clock times in the clinic's time zone.

    A day may have several blocks; the gap between two of them is a break.
    """

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    objects = WeeklyHoursQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        ordering = ["practitioner", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="weekly_hours_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weekly_hours_weekday_valid"
            ),
        ]
        indexes = [models.Index(fields=["practitioner", "weekday"], name="weekly_hours_pract_day")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M} to {self.ends_at:%H:%M}"


class TimeOffKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    BLOCKED = "blocked", _("Blocked time")


class TimeOffQuerySet(models.QuerySet["TimeOff"]):
    def overlapping(self, start: datetime.datetime, end: datetime.datetime) -> TimeOffQuerySet:
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def affecting(self, clinic: Clinic, practitioner_ids: list[int]) -> TimeOffQuerySet:
        """Time off of the whole clinic, or of one of these practitioners."""
        return self.filter(clinic=clinic).filter(
            Q(practitioner__isnull=True) | Q(practitioner_id__in=practitioner_ids)
        )


class TimeOff(models.Model):
    """Time when a practitioner, or the whole clinic (no practitioner), sees nobody."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="time_off")
    practitioner = models.ForeignKey(
        Practitioner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="time_off",
        help_text=_("Leave empty when the whole clinic is closed."),
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="time_off"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=TimeOffKind.choices, default=TimeOffKind.BLOCKED
    )
    # Seen by staff only: patients are told only that no time is free.
    note = models.CharField(_("note for staff"), max_length=200, blank=True)

    objects = TimeOffQuerySet.as_manager()

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="time_off_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["clinic", "starts_at"], name="time_off_clinic_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


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

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
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
