"""The clinic's profile (name, contact details, wording shown to patients, colour) and its
patient access settings, as its administrators change them from the console.

Audit rule: one `record_change` per save, with only the fields that changed, in the same
transaction; a save that changes nothing records nothing.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.services import record_change
from carebridge.clinic.models import Clinic, VitalUnits
from carebridge.clinic.services.common import (
    changed_fields,
    copy_to_caller,
    forget_on_commit,
    locked_clinic,
    values,
)
from carebridge.lib.contrast import AA_NORMAL_TEXT, WHITE, contrast_ratio, is_hex_colour

if TYPE_CHECKING:
    from carebridge.accounts.models import User

ADULT_AGE = 18
ACTIVATION_DAYS_MOST = 90


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    phone: str
    address: str
    opening_hours: str
    help_for_patients: str
    emergency_wording: str
    time_zone: str
    brand_colour: str
    vital_units: str


@dataclass(frozen=True)
class PatientSettings:
    proxy_full_access_under_age: int
    proxy_parental_access_until_age: int
    own_account_from_age: int
    require_patient_mfa: bool
    activation_code_days: int


def colour_refusal(colour: str) -> str | None:
    """Why a brand colour cannot be used behind white text, or None when it can (WCAG AA)."""
    if not is_hex_colour(colour):
        return _("Enter the colour as # and six hexadecimal digits, such as #0b5394.")
    ratio = contrast_ratio(colour, WHITE)
    if ratio < AA_NORMAL_TEXT:
        return _(
            "White text on this colour has a contrast of %(ratio)s to 1; at least 4.5 to 1 is "
            "needed so everyone can read it. Choose a darker colour."
        ) % {"ratio": f"{int(ratio * 100) / 100:.2f}"}
    return None


def time_zone_refusal(zone: str) -> str | None:
    if zone not in zoneinfo.available_timezones():
        return _("“%(zone)s” is not a time zone; use a name such as America/New_York.") % {
            "zone": zone
        }
    return None


def patient_settings_refusal(chosen: PatientSettings) -> str | None:
    """Why the ages contradict each other, or None when they make sense together."""
    full, until = chosen.proxy_full_access_under_age, chosen.proxy_parental_access_until_age
    if not 1 <= full <= until <= ADULT_AGE:
        return _(
            "The age until which parents see everything must not be above the age at which "
            "their access ends, and that age must be 18 or under."
        )
    if chosen.own_account_from_age > until:
        return _(
            "Patients must be able to have their own account by the age at which their "
            "parents' access ends; otherwise nobody could use the portal for them."
        )
    if not 1 <= chosen.activation_code_days <= ACTIVATION_DAYS_MOST:
        return _("Activation codes must last from 1 to %(most)d days.") % {
            "most": ACTIVATION_DAYS_MOST
        }
    return None


def _is_vital_units(profile: ClinicProfile) -> bool:
    return profile.vital_units in VitalUnits.values


def update_clinic_profile(
    *, actor: User, clinic: Clinic, profile: ClinicProfile, request: HttpRequest | None = None
) -> Clinic:
    """Save the clinic's profile. Refused (ValidationError, nothing saved) for a colour with
    less than 4.5:1 contrast against white text, a time zone that does not exist or an empty
    name, or units for vital signs that are not a choice. Audit: "clinic_profile" updated,
    with each changed field before and after."""
    chosen = asdict(profile)
    chosen["name"] = profile.name.strip()
    refusal = (
        (_("Give the clinic's name.") if not chosen["name"] else None)
        or colour_refusal(profile.brand_colour)
        or time_zone_refusal(profile.time_zone)
        or (_("Choose the units for vital signs.") if not _is_vital_units(profile) else None)
    )
    if refusal:
        raise ValidationError(refusal, code="invalid")
    chosen["brand_colour"] = profile.brand_colour.lower()
    return _save(actor, clinic, chosen, "clinic_profile", request)


def set_patient_settings(
    *,
    actor: User,
    clinic: Clinic,
    chosen: PatientSettings,
    request: HttpRequest | None = None,
) -> Clinic:
    """Save the proxy age rules, whether patients must use two-step verification and how long
    activation codes last. Refused (ValidationError, nothing saved) when the ages contradict
    each other. Audit: "clinic_patient_settings" updated, with each changed setting."""
    refusal = patient_settings_refusal(chosen)
    if refusal:
        raise ValidationError(refusal, code="invalid")
    return _save(actor, clinic, asdict(chosen), "clinic_patient_settings", request)


def _save(
    actor: User,
    clinic: Clinic,
    chosen: dict[str, object],
    object_type: str,
    request: HttpRequest | None,
) -> Clinic:
    with transaction.atomic():
        row = locked_clinic(clinic)
        before = values(row, chosen)
        changed = changed_fields(before, chosen)
        if not changed:
            return clinic
        for name in changed:
            setattr(row, name, chosen[name])
        if "brand_colour" in changed:
            row.branding_version += 1
            changed.append("branding_version")
        row.save(update_fields=changed)
        record_change(
            actor=actor,
            object_type=object_type,
            object_id=row.pk,
            before=before,
            after=chosen,
            request=request,
        )
        forget_on_commit()
    copy_to_caller(row, clinic, changed)
    return clinic
