"""Who may have a portal account of their own: a rule of the patient's clinic, read only here.

A child below the clinic's `own_account_from_age` (13 unless the clinic chose otherwise) gets no
activation code and cannot enrol; their parent or guardian acts for them through a grant that
clinic staff give. Ages turn over at midnight in the clinic's time zone.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.lib.dates import age_on

if TYPE_CHECKING:
    from carebridge.patients.models import Patient


def is_old_enough_for_own_account(patient: Patient, today: datetime.date | None = None) -> bool:
    """Whether the patient has reached the clinic's age for an account of their own, on
    `today` (by default, today in the clinic's time zone). Pass the patient with `clinic`."""
    clinic = patient.clinic
    if today is None:
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(clinic.time_zone))
    return age_on(patient.birth_date, today) >= clinic.own_account_from_age


def too_young_words(patient: Patient) -> str:
    """Why a child cannot have their own account, in plain words, without health information."""
    return _(
        "Patients can have their own portal account from age %(age)s. Until then, a parent or "
        "guardian can ask the clinic for access to help with their care."
    ) % {"age": patient.clinic.own_account_from_age}
