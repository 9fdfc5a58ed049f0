"""The clinic's own messaging settings, chosen by its administrators.

Audit: each change is one "update" of the clinic's settings (no patient) with the value before
and after, in the same transaction, as for the other clinic settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.services import record_change
from carebridge.clinic.models import MESSAGE_REPLY_DAYS_MOST, Clinic

if TYPE_CHECKING:
    from carebridge.accounts.models import User


def set_message_reply_days(
    *, actor: User, clinic: Clinic, days: int, request: HttpRequest | None = None
) -> Clinic:
    """How many working days the clinic takes to answer, as patients are told before writing
    (1 to 30). Audited."""
    if not 1 <= days <= MESSAGE_REPLY_DAYS_MOST:
        raise ValidationError(
            _("Choose a number of working days from 1 to %(most)d.")
            % {"most": MESSAGE_REPLY_DAYS_MOST},
            code="days",
        )
    with transaction.atomic():
        before = clinic.message_reply_days
        clinic.message_reply_days = days
        clinic.save(update_fields=["message_reply_days"])
        record_change(
            actor=actor,
            object_type="clinic_settings",
            object_id=clinic.pk,
            before={"message_reply_days": before},
            after={"message_reply_days": days},
            request=request,
        )
    return clinic
