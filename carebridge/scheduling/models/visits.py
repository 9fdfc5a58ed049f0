"""What happens around a visit: the online check-in and the reminder e-mails."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.scheduling.models.appointments import Appointment, BookedAs


class CheckInAnswers(models.Model):
    """What the patient confirmed and answered when checking in online before a visit, for
    whatever the visit is: an appointment booked here (`CheckIn`) or one the clinic booked in
    its own system (`ClinicCheckIn`).

    Everything here except the timestamps is health or personal information, shown to the
    patient, those acting for them and the clinic's staff only; never e-mailed or logged.
    """

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
        abstract = True

    def __str__(self) -> str:
        return f"Check-in {self.completed_at:%Y-%m-%d %H:%M} UTC"


class CheckIn(CheckInAnswers):
    """The online check-in of an appointment booked in Carebridge."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, primary_key=True, related_name="check_in"
    )

    class Meta:
        verbose_name = _("online check-in")
        verbose_name_plural = _("online check-ins")


class ClinicCheckIn(CheckInAnswers):
    """The online check-in of an appointment the clinic booked in its own system (an EHR FHIR
    Appointment kept as a `records.ClinicalResource`). Such a visit has no visit type, so
    `answers` stays empty and the copay is the coverage's only."""

    resource = models.OneToOneField(
        "records.ClinicalResource",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="clinic_check_in",
    )

    class Meta:
        verbose_name = _("online check-in of a clinic-booked appointment")
        verbose_name_plural = _("online check-ins of clinic-booked appointments")


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
