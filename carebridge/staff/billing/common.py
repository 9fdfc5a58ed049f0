"""What the billing console's views share: the staff member's clinic and its today."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

if TYPE_CHECKING:
    from carebridge.clinic.models import Clinic
    from carebridge.core.http import AuthenticatedRequest


def clinic_of(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


def clinic_today(clinic: Clinic) -> datetime.date:
    """Today on the clinic's clock (its time zone), whatever the server's."""
    return timezone.now().astimezone(ZoneInfo(clinic.time_zone)).date()
