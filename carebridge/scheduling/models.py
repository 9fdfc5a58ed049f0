"""Booking set-up (visit types, weekly hours, time off) and the appointments booked in Carebridge.

The appointments the EHR sent as FHIR resources stay in the record store (`records`); the
`Appointment` here is one booked through the portal or by the clinic's staff.

Times: `WeeklyHours` are clock times in the clinic's time zone; every datetime is stored in UTC.
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
    # Shown at check-in as what the patient should expect to pay; the bill may differ.
    copay_cents = models.PositiveIntegerField(
        _("expected copay (cents)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when there is usually nothing to pay at the visit."),
    )
    # A simple questionnaire until the forms issue: one question per line, answered at check-in.
    checkin_questions = models.TextField(
        _("check-in questions"),
        blank=True,
        help_text=_("One question per line. Patients answer them when they check in online."),
    )

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

    @property
    def questions(self) -> list[str]:
        return [line.strip() for line in self.checkin_questions.splitlines() if line.strip()]


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


class CheckIn(models.Model):
    """What the patient confirmed and answered when checking in online before a visit.

    Everything here except the timestamps is health or personal information, shown to the
    patient, those acting for them and the clinic's staff only; never e-mailed or logged.
    """

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, primary_key=True, related_name="check_in"
    )
    completed_at = models.DateTimeField(_("checked in at"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_as = models.CharField(_("checked in as"), max_length=8, choices=BookedAs.choices)
    contact_confirmed = models.BooleanField(_("contact details confirmed"), default=False)
    insurance_payer = models.CharField(_("insurance company"), max_length=120, blank=True)
    insurance_member_id = models.CharField(_("member ID"), max_length=60, blank=True)
    insurance_group = models.CharField(_("group number"), max_length=60, blank=True)
    self_pay = models.BooleanField(_("no insurance (paying myself)"), default=False)
    allergies_confirmed = models.BooleanField(_("allergies confirmed"), default=False)
    allergy_changes = models.TextField(_("changes to allergies"), blank=True)
    medications_confirmed = models.BooleanField(_("medicines confirmed"), default=False)
    medication_changes = models.TextField(_("changes to medicines"), blank=True)
    # [{"question": ..., "answer": ...}] for the visit type's questions at the time.
    answers = models.JSONField(_("answers"), default=list, blank=True)
    copay_cents = models.PositiveIntegerField(_("expected copay (cents)"), null=True, blank=True)

    class Meta:
        verbose_name = _("online check-in")
        verbose_name_plural = _("online check-ins")

    def __str__(self) -> str:
        return f"Check-in {self.completed_at:%Y-%m-%d %H:%M} UTC"


class AppointmentReminder(models.Model):
    """One reminder e-mail of one appointment, `hours_before` its start (`starts_at`, kept so
    that a moved appointment is reminded of again). The row is the ledger that makes sending
    safe to run twice."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    hours_before = models.PositiveSmallIntegerField(_("hours before"))
    starts_at = models.DateTimeField(_("appointment start"))
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment reminder")
        verbose_name_plural = _("appointment reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "hours_before", "starts_at"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours_before} h before {self.starts_at:%Y-%m-%d %H:%M} UTC"
