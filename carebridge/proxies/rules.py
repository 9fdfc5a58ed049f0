"""What a proxy grant allows on a given day: pure functions, no queries beyond what is passed.

The age rules (clinic-configurable, defaults 12 and 18) apply to parental grants only:
under the first age a parent has the grant's scopes; from it until the second age, only the
teen-limited scopes and a record view of allergies and immunizations, widened by whatever the
teenager agreed to share; from the second age, nothing (the patient "came of age"). Grants to
an adult patient's caregivers give exactly their scopes. Nothing is allowed unless the grant is
active and today falls between its start and end dates (both inclusive).
"""

from __future__ import annotations

import datetime
import enum
import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from carebridge.lib.dates import age_on
from carebridge.proxies.acting import RECORD_PARTS
from carebridge.proxies.models import GrantStatus, ProxyGrant, ProxyScope

if TYPE_CHECKING:
    from carebridge.clinic.models import Clinic

ALL_SCOPES = frozenset(ProxyScope.values)
# What a parent keeps while the child is a teenager (with the allergy and immunization view).
TEEN_LIMITED_SCOPES = frozenset({ProxyScope.APPOINTMENTS, ProxyScope.BILLING, ProxyScope.MESSAGING})

# Sections of the health record. The record scope shows all but the result parts, which need
# the results scope; a teen-limited parent sees only allergies and immunizations.
RESULT_PARTS = frozenset({"results", "vitals"})
ALL_RECORD_PARTS = frozenset(RECORD_PARTS)
FULL_RECORD_PARTS = ALL_RECORD_PARTS - RESULT_PARTS
TEEN_RECORD_PARTS = frozenset({"allergies", "immunizations"})


class AgeBand(enum.StrEnum):
    CHILD = "child"
    TEEN = "teen"
    ADULT = "adult"


def age_band(birth_date: datetime.date, today: datetime.date, clinic: Clinic) -> AgeBand:
    """Which of the clinic's age rules applies to a patient born on `birth_date`, today."""
    age = age_on(birth_date, today)
    if age >= clinic.proxy_parental_access_until_age:
        return AgeBand.ADULT
    if age >= clinic.proxy_full_access_under_age:
        return AgeBand.TEEN
    return AgeBand.CHILD


def is_in_force(grant: ProxyGrant, today: datetime.date) -> bool:
    """Active, started, and not past its last day."""
    if grant.status != GrantStatus.ACTIVE or today < grant.starts_on:
        return False
    return grant.ends_on is None or today <= grant.ends_on


def _known(scopes: Iterable[str]) -> frozenset[str]:
    return frozenset(scopes) & ALL_SCOPES


def effective_scopes(
    grant: ProxyGrant, *, patient_birth_date: datetime.date, today: datetime.date, clinic: Clinic
) -> frozenset[str]:
    """The scopes a grant gives today, after dates and (for parental grants) the age rules.

    A teen-limited parent keeps the record scope, if granted, for the allergy and immunization
    view (`effective_record_parts` narrows it). The grant's own scopes are always the upper
    bound: what a teenager shares cannot give more than staff granted.
    """
    if not is_in_force(grant, today):
        return frozenset()
    granted = _known(grant.scopes)
    if not grant.is_parental:
        return granted
    band = age_band(patient_birth_date, today, clinic)
    if band is AgeBand.CHILD:
        return granted
    if band is AgeBand.TEEN:
        allowed = TEEN_LIMITED_SCOPES | {ProxyScope.RECORD} | _known(grant.teen_shared_scopes)
        return granted & allowed
    return frozenset()


def is_teen_limited(
    grant: ProxyGrant, *, patient_birth_date: datetime.date, today: datetime.date, clinic: Clinic
) -> bool:
    """Whether the record view is cut down to allergies and immunizations for a teen's parent."""
    return (
        grant.is_parental
        and age_band(patient_birth_date, today, clinic) is AgeBand.TEEN
        and ProxyScope.RECORD not in grant.teen_shared_scopes
    )


def hides_patients_own_messages(
    grant: ProxyGrant, *, patient_birth_date: datetime.date, today: datetime.date, clinic: Clinic
) -> bool:
    """Whether a teenager's own conversations with the clinic (those the teenager started, and
    the clinic's replies in them) are kept from this parent: a parental grant in the teen age
    band, unless the teenager shared their messages. The parent's own conversations about the
    teenager stay theirs to see."""
    return (
        grant.is_parental
        and age_band(patient_birth_date, today, clinic) is AgeBand.TEEN
        and ProxyScope.MESSAGING not in grant.teen_shared_scopes
    )


def teen_private_age(
    grant: ProxyGrant, *, patient_birth_date: datetime.date, today: datetime.date, clinic: Clinic
) -> int | None:
    """The teenager's age when the clinic's teen rules keep some of their account from this
    parent today (the record cut down, their own messages hidden, or a granted part held
    back), so the pages can say why; None otherwise."""
    if not grant.is_parental or age_band(patient_birth_date, today, clinic) is not AgeBand.TEEN:
        return None
    when: dict[str, Any] = {"patient_birth_date": patient_birth_date, "today": today}
    narrowed = (
        is_teen_limited(grant, clinic=clinic, **when)
        or hides_patients_own_messages(grant, clinic=clinic, **when)
        or effective_scopes(grant, clinic=clinic, **when) != _known(grant.scopes)
    )
    return age_on(patient_birth_date, today) if narrowed else None


def effective_record_parts(
    grant: ProxyGrant, *, patient_birth_date: datetime.date, today: datetime.date, clinic: Clinic
) -> frozenset[str]:
    """The record sections (see `ALL_RECORD_PARTS`) a grant shows today."""
    when: dict[str, Any] = {"patient_birth_date": patient_birth_date, "today": today}
    scopes = effective_scopes(grant, clinic=clinic, **when)
    parts: frozenset[str] = frozenset()
    if ProxyScope.RECORD in scopes:
        limited = is_teen_limited(grant, clinic=clinic, **when)
        parts |= TEEN_RECORD_PARTS if limited else FULL_RECORD_PARTS
    if ProxyScope.RESULTS in scopes:
        parts |= RESULT_PARTS
    return parts


def has_come_of_age(
    grant: ProxyGrant, *, patient_birth_date: datetime.date, today: datetime.date, clinic: Clinic
) -> bool:
    """A parental grant whose patient has reached the clinic's adult age: it must end."""
    return grant.is_parental and age_band(patient_birth_date, today, clinic) is AgeBand.ADULT


def clinic_today(clinic: Clinic) -> datetime.date:
    """Today's date in the clinic's time zone: birthdays and end dates turn over there."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(clinic.time_zone))


def scopes_now(grant: ProxyGrant) -> frozenset[str]:
    """`effective_scopes` for the clinic's today; pass a grant with `patient__clinic` loaded."""
    patient = grant.patient
    return effective_scopes(
        grant,
        patient_birth_date=patient.birth_date,
        today=clinic_today(patient.clinic),
        clinic=patient.clinic,
    )
