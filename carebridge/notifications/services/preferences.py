"""Telling people that there is something new, as each of them chose.

`notify_new_message` is called inside the transaction that saved the message: a notice is
written to the outbox for those who chose one per message (and for addresses without an
account), and those who chose the daily e-mail are marked as having something waiting.
`send_daily_digests` (`carebridge send-digests`, once a day) writes each of those one notice and
clears the mark in the same transaction: the outbox row is the promise that the e-mail will go,
even if the mail relay is down now. Running it twice sends nothing more.

Privacy rule: the e-mails say only that there is something new, with a sign-in link.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from carebridge.notifications.models import MessageEmails, NoticeKind, NotificationPreference
from carebridge.notifications.services.outbox import email_after_commit

if TYPE_CHECKING:
    from carebridge.accounts.models import User


def notify_new_message(
    *,
    users: list[User],
    addresses: list[str],
    subject: str | Promise,
    sentence: str | Promise,
    now: datetime.datetime,
) -> None:
    """Tell `users` as each chose, and `addresses` (people without an account) at once; pass
    `subject` and `sentence` lazy (gettext_lazy) so that each reads them in their language."""
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
        email_after_commit(address, subject, sentence, kind=NoticeKind.MESSAGE)


def send_daily_digests(*, now: datetime.datetime) -> int:
    """One notice to each person on the daily choice with something waiting, written in the
    transaction that clears the mark; returns how many."""
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
                gettext_lazy("[Carebridge] You have new messages"),
                gettext_lazy("Something new is waiting for you in Carebridge."),
                kind=NoticeKind.DIGEST,
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
