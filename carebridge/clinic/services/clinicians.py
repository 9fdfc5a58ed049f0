"""The clinic's clinicians (practitioners), as its administrators add and change them.

Audit rule: "practitioner" created or updated, with each changed field before and after (the
places as their names, the staff account as its e-mail address), in the change's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change
from carebridge.clinic.models import Clinic, Location, Practitioner, StaffMember
from carebridge.clinic.services.common import changed_fields
from carebridge.lib.npi import is_valid_npi

if TYPE_CHECKING:
    from carebridge.accounts.models import User

_FIELDS = ("given_name", "family_name", "credentials", "specialty", "npi")


@dataclass(frozen=True)
class ClinicianDetails:
    given_name: str
    family_name: str
    credentials: str = ""
    specialty: str = ""
    npi: str = ""
    places: tuple[Location, ...] = ()
    # A staff member of the same clinic who signs in as this clinician, if any.
    staff: StaffMember | None = None


def clinician_refusal(clinic: Clinic, details: ClinicianDetails, besides: int | None) -> str | None:
    """Why these details cannot be saved for one of the clinic's clinicians, or None."""
    if not (details.given_name.strip() and details.family_name.strip()):
        return _("Give the clinician's first and last names.")
    if details.npi and not is_valid_npi(details.npi):
        return _("That NPI is not right: it has ten digits, the last a check digit.")
    if any(place.clinic_id != clinic.pk for place in details.places):
        return _("Choose places of this clinic.")
    staff = details.staff
    if staff is not None:
        if staff.clinic_id != clinic.pk:
            return _("Choose a staff account of this clinic.")
        taken = Practitioner.objects.filter(user_id=staff.user_id)
        if besides is not None:
            taken = taken.exclude(pk=besides)
        if taken.exists():
            return _("That staff account already belongs to another clinician.")
    return None


def add_clinician(
    *, actor: User, clinic: Clinic, details: ClinicianDetails, request: HttpRequest | None = None
) -> Practitioner:
    """Add a clinician. Refused (ValidationError, nothing saved) without names, for an NPI
    that fails its check digit, or for another clinic's place or staff account."""
    _check(clinic, details, None)
    with transaction.atomic():
        clinician = Practitioner.objects.create(clinic=clinic, **_plain(details))
        clinician.locations.set(details.places)
        record_change(
            actor=actor,
            object_type="practitioner",
            object_id=clinician.pk,
            before={},
            after=_audited(details),
            action=AuditAction.CREATE,
            request=request,
        )
    return clinician


def change_clinician(
    *,
    actor: User,
    clinician: Practitioner,
    details: ClinicianDetails,
    request: HttpRequest | None = None,
) -> Practitioner:
    """Change a clinician's details, places and staff account; refused as `add_clinician`."""
    _check(clinician.clinic, details, clinician.pk)
    with transaction.atomic():
        row = Practitioner.objects.select_for_update().get(pk=clinician.pk)
        before = _audited_row(row)
        after = _audited(details)
        changed = changed_fields(before, after)
        if not changed:
            return clinician
        for name, value in _plain(details).items():
            setattr(row, name, value)
        row.save()
        row.locations.set(details.places)
        record_change(
            actor=actor,
            object_type="practitioner",
            object_id=row.pk,
            before=before,
            after=after,
            request=request,
        )
    return row


def _check(clinic: Clinic, details: ClinicianDetails, besides: int | None) -> None:
    refusal = clinician_refusal(clinic, details, besides)
    if refusal:
        raise ValidationError(refusal, code="invalid")


def _plain(details: ClinicianDetails) -> dict[str, Any]:
    fields = {name: str(getattr(details, name)).strip() for name in _FIELDS}
    return fields | {"user": details.staff.user if details.staff is not None else None}


def _audited(details: ClinicianDetails) -> dict[str, Any]:
    plain = _plain(details)
    user = plain.pop("user")
    return plain | {
        "places": sorted(place.name for place in details.places),
        "staff_account": user.email if user is not None else None,
    }


def _audited_row(row: Practitioner) -> dict[str, Any]:
    fields = {name: getattr(row, name) for name in _FIELDS}
    return fields | {
        "places": sorted(place.name for place in row.locations.all()),
        "staff_account": row.user.email if row.user is not None else None,
    }
