"""The portal patient an import creates, the identifiers it learns, and a recorded name change.

Every write here happens in the caller's transaction (a group's, or a review decision's) and
is audited there: a patient is never created or renamed without an event saying who did it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient, PatientIdentifier
from carebridge.records.importing.matching import Identifier, Incoming, json_objects, short_text

if TYPE_CHECKING:
    from django.http import HttpRequest

    from carebridge.accounts.models import User


def create_patient(
    clinic: Clinic,
    person: Incoming,
    resource: dict[str, Any],
    patient_id: uuid.UUID,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Patient:
    """Create the portal patient for an incoming Patient resource, with its identifiers.

    Audit: a "create" event on the new patient, by `actor` (staff) or by the system (an
    import with no one behind it), in the caller's transaction.
    """
    patient = Patient.objects.create(
        id=patient_id,
        clinic=clinic,
        mrn=_free_mrn(clinic, person.mrn),
        given_name=person.given_name,
        family_name=person.family_name,
        birth_date=person.birth_date,
        sex=person.sex,
        preferred_language=_language(resource.get("communication")),
        **_contact_fields(resource),
    )
    add_identifiers(patient, person.identifiers)
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="patient",
        object_id=patient.pk,
        patient=patient,
        acting_as="staff" if actor is not None else "system",
        request=request,
    )
    return patient


def _free_mrn(clinic: Clinic, wanted: str) -> str:
    if (
        wanted
        and len(wanted) <= 40
        and not Patient.objects.filter(clinic=clinic, mrn=wanted).exists()
    ):
        return wanted
    return f"IMP-{uuid.uuid4().hex[:12].upper()}"


def _contact_fields(resource: dict[str, Any]) -> dict[str, str]:
    telecom = json_objects(resource.get("telecom"))
    addresses = json_objects(resource.get("address"))
    address = addresses[0] if addresses else {}
    lines = address.get("line")
    street = (
        ", ".join(line for line in lines if isinstance(line, str))
        if isinstance(lines, list)
        else ""
    )
    return {
        "phone": _first_contact(telecom, "phone", 40),
        "email": _first_contact(telecom, "email", 254),
        "address_line": street[:200],
        "city": short_text(address.get("city"), 100),
        "state": short_text(address.get("state"), 50),
        "postal_code": short_text(address.get("postalCode"), 20),
    }


def _first_contact(telecom: list[dict[str, Any]], system: str, limit: int) -> str:
    return next(
        (short_text(t.get("value"), limit) for t in telecom if t.get("system") == system), ""
    )


def _language(communication: Any) -> str:
    """The preferred (or first) language's primary subtag: "en-US" becomes "en"."""
    options = json_objects(communication)
    chosen = next((c for c in options if c.get("preferred")), options[0] if options else {})
    language = chosen.get("language")
    codings = json_objects(language.get("coding")) if isinstance(language, dict) else []
    code = codings[0].get("code") if codings else None
    return code.split("-")[0].lower()[:20] if isinstance(code, str) and code else "en"


def add_identifiers(patient: Patient, identifiers: Iterable[Identifier]) -> int:
    """Give the patient the identifiers no patient holds yet (in any clinic). Returns how many."""
    pairs = list(dict.fromkeys(identifiers))
    if not pairs:
        return 0
    taken = set(
        PatientIdentifier.objects.filter(value__in={v for _, v in pairs}).values_list(
            "system", "value"
        )
    )
    rows = [
        PatientIdentifier(patient=patient, system=s, value=v)
        for s, v in pairs
        if (s, v) not in taken
    ]
    PatientIdentifier.objects.bulk_create(rows)
    return len(rows)


def rename_patient(patient: Patient, person: Incoming, *, actor: User | None) -> None:
    """Take the incoming official name: only for a match the rule calls a name change.

    The matcher allows it only for the clinic's own MRN, the same birth date, no
    contradicting sex, and an incoming record that lists the stored name among its former
    names (see docs/fhir-mapping.md). Audit: an "update" event on the patient, in the
    caller's transaction.
    """
    patient.given_name, patient.family_name = person.given_name, person.family_name
    patient.save(update_fields=["given_name", "family_name", "updated_at"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="patient",
        object_id=patient.pk,
        patient=patient,
        acting_as="staff" if actor is not None else "system",
    )
