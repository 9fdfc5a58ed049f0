"""Rules and audit values for time off, shared by the desk's blocking of time (`desk`).

Anyone who manages the schedule may block time: a clinician's, over one day or many, or the
whole clinic's (no clinician). A holiday is the clinic administrator's: only staff holding
`clinic.manage_clinic` may record or remove one, so the desk cannot reopen a day the clinic
closed. Audit rule: adding or removing time off is a configuration change ("time_off", by id)
recorded with `record_change` and these values before and after.
"""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change
from carebridge.scheduling.models import TimeOff, TimeOffKind

if TYPE_CHECKING:
    from carebridge.accounts.models import User

HOLIDAY_PERMISSION = "clinic.manage_clinic"


def may_handle_holidays(actor: User) -> bool:
    return actor.has_perm(HOLIDAY_PERMISSION)


def check_may_add(actor: User, kind: str) -> None:
    """PermissionDenied for a kind the actor may not record (a holiday, unless administrator)."""
    if kind not in TimeOffKind.values:
        raise PermissionDenied
    if kind == TimeOffKind.HOLIDAY and not may_handle_holidays(actor):
        raise PermissionDenied


def check_may_remove(actor: User, time_off: TimeOff) -> None:
    """ValidationError when the actor may not remove this time off (a holiday, unless
    administrator)."""
    if time_off.kind == TimeOffKind.HOLIDAY and not may_handle_holidays(actor):
        raise ValidationError(
            _("Only a clinic administrator can remove a holiday."), code="holiday"
        )


def time_off_values(time_off: TimeOff) -> dict[str, Any]:
    """Time off as the audit trail records it: who (None for the whole clinic), where (None for
    every place), and when, as ISO date-times on the clinic's clock."""
    zone = zoneinfo.ZoneInfo(time_off.clinic.time_zone)
    practitioner, location = time_off.practitioner, time_off.location
    return {
        "kind": time_off.kind,
        "clinician": None if practitioner is None else str(practitioner),
        "place": None if location is None else location.name,
        "starts_at": time_off.starts_at.astimezone(zone).isoformat(),
        "ends_at": time_off.ends_at.astimezone(zone).isoformat(),
        "note": time_off.note,
    }


def audit_time_off(
    *,
    actor: User,
    time_off: TimeOff,
    action: AuditAction,
    time_off_id: int,
    request: HttpRequest | None,
) -> None:
    """Record adding (`action` CREATE) or removing (DELETE) time off, with its values."""
    values = time_off_values(time_off)
    added = action == AuditAction.CREATE
    record_change(
        actor=actor,
        object_type="time_off",
        object_id=time_off_id,
        before={} if added else values,
        after=values if added else {},
        action=action,
        request=request,
    )
