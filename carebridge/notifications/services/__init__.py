"""Every write of notifications: the outbox (`outbox`), its delivery (`delivery`) and new-message
notices as each person chose (`preferences`). The names most callers need are here."""

from carebridge.notifications.services.outbox import (
    email_after_commit,
    queue_notice,
    send_after_commit,
    sign_in_link,
)
from carebridge.notifications.services.preferences import (
    choose_message_emails,
    notify_new_message,
    send_daily_digests,
)

__all__ = [
    "choose_message_emails",
    "email_after_commit",
    "notify_new_message",
    "queue_notice",
    "send_after_commit",
    "send_daily_digests",
    "sign_in_link",
]
