"""How each person wants to hear that there is something new for them.

Privacy rule: notifications say only that there is something new, with a sign-in link; what it
is stays behind the sign-in.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageEmails(models.TextChoices):
    EACH = "each", _("An e-mail for each new message")
    DAILY = "daily", _("At most one e-mail a day, when there is something new")


class NotificationPreference(models.Model):
    """A person's choice; without a row, they get an e-mail for each new message. With the
    daily choice, `pending_since` says since when something new is waiting for the digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    message_emails = models.CharField(
        _("e-mails about new messages"),
        max_length=8,
        choices=MessageEmails.choices,
        default=MessageEmails.EACH,
    )
    pending_since = models.DateTimeField(_("something new since"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last daily e-mail"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.get_message_emails_display())


class NoticeKind(models.TextChoices):
    SECURITY = "security", _("Account security")
    ACCOUNT = "account", _("Account set-up")
    INVITATION = "invitation", _("Invitation")
    APPOINTMENT = "appointment", _("Appointment")
    REMINDER = "reminder", _("Appointment reminder")
    WAITLIST = "waitlist", _("Waiting list offer")
    MESSAGE = "message", _("New message")
    DIGEST = "digest", _("Daily e-mail")
    RESULT = "result", _("New result")
    SHARE = "share", _("Shared summary")
    BILL = "bill", _("New statement")
    RECEIPT = "receipt", _("Payment receipt")
    PLAN_REMINDER = "plan_reminder", _("Payment plan reminder")


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NoticeQuerySet(models.QuerySet["Notice"]):
    def due(self, now: datetime.datetime) -> NoticeQuerySet:
        """Queued notices whose next attempt has come: what the delivery sweep picks up."""
        return self.filter(status=NoticeStatus.QUEUED, next_attempt_at__lte=now)


class Notice(models.Model):
    """One e-mail in the outbox: written in the transaction of the change it tells about, and
    delivered by the task worker, with retries, until the relay accepts or refuses it.

    Privacy rule: the body holds no health information, and it is cleared once sent (it may
    hold a password-reset link); `last_error` holds the exception type and SMTP code only.
    `clinic` is whose patients or staff the address belongs to, for the clinic's console.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    to_address = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    clinic = models.ForeignKey(
        "clinic.Clinic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.CharField(_("last error"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created"))
    # When it was last put in the queue (written, or retried by a clinic administrator): the
    # delivery gives up on a notice still failing a while after this.
    queued_at = models.DateTimeField(_("queued"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            # The delivery sweep: queued rows whose next attempt has come, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="notice_due"),
            # The clinic's console: its queued and failed notices.
            models.Index(fields=["clinic", "status", "created_at"], name="notice_clinic_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
