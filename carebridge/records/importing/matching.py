"""Which portal patient an incoming Patient resource is: matched by identifier, never by guess.

An identifier the clinic already holds for a patient (or the clinic's own MRN) is a match.
The same name and birth date without such an identifier is only a candidate: the importer
holds that patient's resources for a member of staff to decide (a `PatientMatchReview`).
Anything else is a new patient.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Clinic
from carebridge.patients.models import AdministrativeSex, Patient, PatientIdentifier
from carebridge.records.identifiers import MRN_TYPE_CODE, mrn_system

if TYPE_CHECKING:
    from django.http import HttpRequest

    from carebridge.accounts.models import User

Identifier = tuple[str, str]
# Keys a clinic MRN among the identifiers (no real system is an empty string).
CLINIC_MRN = ""


class MatchKind(enum.StrEnum):
    EXISTING = "existing"
    NEW = "new"
    REVIEW = "review"


@dataclass
class Incoming:
    """What the importer reads from an incoming Patient resource to match or create one."""

    given_name: str
    family_name: str
    birth_date: datetime.date
    sex: str
    identifiers: list[Identifier] = field(default_factory=list)
    # The MRN it carries in the clinic's own MRN system (a match), and the MRN a new patient
    # would get: that one, else an MRN-typed identifier's value, else the first identifier's.
    clinic_mrn: str = ""
    mrn: str = ""

    @classmethod
    def from_resource(cls, resource: dict[str, Any], clinic: Clinic) -> Incoming:
        """Read a Patient resource that passed validation (it has a name and a full birth date)."""
        given, family = _official_name(resource.get("name"))
        identifiers, clinic_mrn, mrn = _identifiers(resource.get("identifier"), mrn_system(clinic))
        gender = resource.get("gender")
        return cls(
            given_name=given,
            family_name=family,
            birth_date=datetime.date.fromisoformat(resource["birthDate"]),
            sex=gender if gender in AdministrativeSex.values else AdministrativeSex.UNKNOWN,
            identifiers=identifiers,
            clinic_mrn=clinic_mrn,
            mrn=mrn,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Incoming:
        """Read back what `as_json` wrote (a review keeps it)."""
        return cls(
            given_name=data["given_name"],
            family_name=data["family_name"],
            birth_date=datetime.date.fromisoformat(data["birth_date"]),
            sex=data["sex"],
            identifiers=[(i["system"], i["value"]) for i in data["identifiers"]],
            clinic_mrn=data.get("clinic_mrn", ""),
            mrn=data.get("mrn", ""),
        )

    def as_json(self) -> dict[str, Any]:
        """For a review page: the name, birth date, sex and identifiers, as text."""
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
            "identifiers": [{"system": s, "value": v} for s, v in self.identifiers],
            "clinic_mrn": self.clinic_mrn,
            "mrn": self.mrn,
        }

    def same_person_as(self, patient: Patient) -> bool:
        """Same given name, family name and birth date (letter case aside)."""
        return (
            self.given_name.casefold() == patient.given_name.casefold()
            and self.family_name.casefold() == patient.family_name.casefold()
            and self.birth_date == patient.birth_date
        )


def _objects(value: Any) -> list[dict[str, Any]]:
    """The JSON objects in a list; nothing for anything else (exports are not always valid)."""
    return (
        [member for member in value if isinstance(member, dict)] if isinstance(value, list) else []
    )


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _official_name(names: Any) -> tuple[str, str]:
    options = _objects(names)
    name = next((n for n in options if n.get("use") == "official"), options[0] if options else {})
    given = name.get("given")
    first = given[0] if isinstance(given, list) and given else ""
    return _text(first, 100), _text(name.get("family"), 100)


def _identifiers(identifiers: Any, own_system: str) -> tuple[list[Identifier], str, str]:
    """Usable (system, value) pairs, the clinic MRN carried, and the MRN for a new patient."""
    pairs: list[Identifier] = []
    own_mrn = typed_mrn = ""
    for identifier in _objects(identifiers):
        system, value = identifier.get("system"), identifier.get("value")
        if not isinstance(system, str) or not isinstance(value, str) or not system or not value:
            continue
        if system == own_system:
            own_mrn = value
        elif len(system) <= 200 and len(value) <= 100:
            pairs.append((system, value))
            if not typed_mrn and _is_mrn_typed(identifier):
                typed_mrn = value
    first = pairs[0][1] if pairs else ""
    return list(dict.fromkeys(pairs)), own_mrn, own_mrn or typed_mrn or first


def _is_mrn_typed(identifier: dict[str, Any]) -> bool:
    kind = identifier.get("type")
    codings = kind.get("coding") if isinstance(kind, dict) else None
    return any(isinstance(c, dict) and c.get("code") == MRN_TYPE_CODE for c in codings or [])


@dataclass
class Match:
    """The outcome for one incoming patient. `patient` is the match, or a review's candidate."""

    kind: MatchKind
    patient: Patient | None = None
    new_id: uuid.UUID | None = None

    @property
    def portal_id(self) -> str:
        """The portal patient's UUID, or "" while a review is pending."""
        if self.kind == MatchKind.EXISTING and self.patient is not None:
            return str(self.patient.pk)
        return str(self.new_id) if self.new_id else ""


def match_patients(clinic: Clinic, incoming: Sequence[Incoming]) -> list[Match]:
    """Match each incoming patient, in three queries whatever the number."""
    by_identifier = _identifier_owners(clinic, incoming)
    candidates = _same_birth_date(clinic, incoming)
    return [_match_one(person, by_identifier, candidates) for person in incoming]


def _match_one(
    person: Incoming,
    by_identifier: dict[Identifier, Patient],
    candidates: dict[datetime.date, list[Patient]],
) -> Match:
    keys = [(CLINIC_MRN, person.clinic_mrn), *person.identifiers]
    owners = list(
        {by_identifier[key].pk: by_identifier[key] for key in keys if key in by_identifier}.values()
    )
    if len(owners) == 1:
        return Match(MatchKind.EXISTING, patient=owners[0])
    if owners:
        # Identifiers of two different patients: a person must decide.
        return Match(MatchKind.REVIEW, patient=owners[0])
    same = [p for p in candidates.get(person.birth_date, []) if person.same_person_as(p)]
    if same:
        return Match(MatchKind.REVIEW, patient=same[0])
    return Match(MatchKind.NEW, new_id=uuid.uuid4())


def _identifier_owners(clinic: Clinic, incoming: Sequence[Incoming]) -> dict[Identifier, Patient]:
    """The clinic's patients holding any incoming identifier, or an incoming clinic MRN."""
    wanted = {pair for person in incoming for pair in person.identifiers}
    owners: dict[Identifier, Patient] = {}
    rows = PatientIdentifier.objects.filter(
        patient__clinic=clinic, value__in={value for _, value in wanted}
    ).select_related("patient")
    for row in rows:
        if (row.system, row.value) in wanted:
            owners[(row.system, row.value)] = row.patient
    mrns = {person.clinic_mrn for person in incoming if person.clinic_mrn}
    for patient in Patient.objects.filter(clinic=clinic, mrn__in=mrns):
        owners[(CLINIC_MRN, patient.mrn)] = patient
    return owners


def _same_birth_date(
    clinic: Clinic, incoming: Sequence[Incoming]
) -> dict[datetime.date, list[Patient]]:
    dates = {person.birth_date for person in incoming}
    found: dict[datetime.date, list[Patient]] = {}
    for patient in Patient.objects.filter(clinic=clinic, birth_date__in=dates).order_by("pk"):
        found.setdefault(patient.birth_date, []).append(patient)
    return found


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
    telecom = _objects(resource.get("telecom"))
    addresses = _objects(resource.get("address"))
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
        "city": _text(address.get("city"), 100),
        "state": _text(address.get("state"), 50),
        "postal_code": _text(address.get("postalCode"), 20),
    }


def _first_contact(telecom: list[dict[str, Any]], system: str, limit: int) -> str:
    return next((_text(t.get("value"), limit) for t in telecom if t.get("system") == system), "")


def _language(communication: Any) -> str:
    """The preferred (or first) language's primary subtag: "en-US" becomes "en"."""
    options = _objects(communication)
    chosen = next((c for c in options if c.get("preferred")), options[0] if options else {})
    language = chosen.get("language")
    codings = _objects(language.get("coding")) if isinstance(language, dict) else []
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
