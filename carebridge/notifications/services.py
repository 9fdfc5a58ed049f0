"""Telling people that there is something new, as each of them chose.

`notify_new_message` is called inside the transaction that saved the message: an e-mail goes
after commit to those who chose one per message (and to addresses without an account), and
those who chose the daily e-mail are marked as having something waiting. `send_daily_digests`
(`carebridge send-digests`, once a day) sends each of those one e-mail and clears the mark;
running it twice sends nothing more.

Privacy rule: the e-mails say only that there is something new, with a sign-in link.
"""

from __future__ import annotations

import datetime
import functools
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.notifications.models import MessageEmails, NotificationPreference

if TYPE_CHECKING:
    from carebridge.accounts.models import User


def sign_in_link() -> str:
    return settings.CAREBRIDGE_BASE_URL + reverse("account_login")


def send_after_commit(address: str, subject: str, paragraphs: list[str]) -> None:
    """Send one plain-text notice once the transaction commits: the one way the portal's
    notices leave. Privacy rule: callers pass no health information."""
    body = "\n\n".join(paragraphs) + "\n"
    send = functools.partial(
        send_mail, subject=subject, message=body, from_email=None, recipient_list=[address]
    )
    transaction.on_commit(send)


def email_after_commit(address: str, subject: str, sentence: str) -> None:
    send_after_commit(address, subject, [sentence, _("Sign in to read it:"), sign_in_link()])


def notify_new_message(
    *,
    users: list[User],
    addresses: list[str],
    subject: str,
    sentence: str,
    now: datetime.datetime,
) -> None:
    """Tell `users` as each chose, and `addresses` (people without an account) at once."""
    daily = set(
        NotificationPreference.objects.filter(
            user__in=users, message_emails=MessageEmails.DAILY
        ).values_list("user_id", flat=True)
    )
    NotificationPreference.objects.filter(user_id__in=daily, pending_since__isnull=True).update(
        pending_since=now
    )
    wanted = [user.email for user in users if user.pk not in daily] + list(addresses)
    for address in sorted(set(filter(None, wanted))):
        email_after_commit(address, subject, sentence)


def send_daily_digests(*, now: datetime.datetime) -> int:
    """One e-mail to each person on the daily choice with something waiting; returns how many."""
    sent = 0
    waiting = NotificationPreference.objects.filter(
        message_emails=MessageEmails.DAILY, pending_since__isnull=False
    ).select_related("user")
    for preference in waiting:
        with transaction.atomic():
            locked = NotificationPreference.objects.select_for_update().get(pk=preference.pk)
            if locked.pending_since is None:
                continue
            locked.pending_since, locked.last_digest_at = None, now
            locked.save(update_fields=["pending_since", "last_digest_at"])
            email_after_commit(
                preference.user.email,
                _("[Carebridge] You have new messages"),
                _("Something new is waiting for you in Carebridge."),
            )
            sent += 1
    return sent


def choose_message_emails(*, user: User, choice: str) -> NotificationPreference:
    """Save the person's choice; switching to one e-mail per message forgets what the digest
    was waiting to say (the messages themselves stay unread in the portal)."""
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    preference.message_emails = MessageEmails(choice)
    if preference.message_emails == MessageEmails.EACH:
        preference.pending_since = None
    preference.save(update_fields=["message_emails", "pending_since"])
    return preference
