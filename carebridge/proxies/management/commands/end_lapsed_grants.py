"""`carebridge end-lapsed-grants`: end grants whose time is up, and tell both people.

Run it once a day (cron or a systemd timer; see docs/deployment.md). Access itself never waits
for it: every request applies end dates and age rules as they stand that day. This marks the
lapsed grants ended, so the pages list them as history, and sends the e-mails that say so.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.proxies.services import end_lapsed_grants


class Command(BaseCommand):
    help = "End proxy grants past their last day, parents' grants of patients now adult, and "
    help += "unused invitations past their expiry. Safe to run more than once a day."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = end_lapsed_grants(today=timezone.localdate())
        self.stdout.write(
            _(
                "Ended %(expired)d past their last day, %(came_of_age)d of patients now adult, "
                "and %(invitations)d unused invitations."
            )
            % {
                "expired": counts.expired,
                "came_of_age": counts.came_of_age,
                "invitations": counts.invitations,
            }
        )
