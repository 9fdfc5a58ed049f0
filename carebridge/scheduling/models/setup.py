"""The clinic's booking set-up: kinds of visit, weekly hours and time off.

Times: `WeeklyHours` are clock times in the clinic's time zone; every datetime is stored in UTC.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Clinic, Location, Practitioner


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
