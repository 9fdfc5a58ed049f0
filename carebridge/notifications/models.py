"""How each person wants to hear that there is something new for them.

Privacy rule: notifications say only that there is something new, with a sign-in link; what it
is stays behind the sign-in.
"""

from __future__ import annotations

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
