"""Which portal patient an incoming Patient resource is: never another person's.

Identifier systems are ranked (docs/fhir-mapping.md has the table):

- the clinic's own MRN (`identifiers.mrn_system`) is strong: it matches alone, unless the
  name, birth date or sex contradict it;
- every other system (an EHR's id, a licence, passport or SSN number, a member id) is weak:
  it matches only a patient whose name, birth date and sex (when both record it) agree.

An identifier in common with demographics that disagree, identifiers of two different
patients, or the same name and birth date with no identifier in common: the importer holds
that patient's resources for a member of staff to decide (a `PatientMatchReview`), and
nothing of either is stored under the other. Two people of one input are compared the same
way. Anything else is a new patient.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from carebridge.clinic.models import Clinic
from carebridge.patients.models import AdministrativeSex, Patient, PatientIdentifier
from carebridge.records.identifiers import MRN_TYPE_CODE, mrn_system

Identifier = tuple[str, str]
# Keys a clinic MRN among the identifiers (no real system is an empty string).
CLINIC_MRN = ""
# A sex recorded as unknown neither agrees nor disagrees.
_NO_SEX = frozenset({"", AdministrativeSex.UNKNOWN})


class MatchKind(enum.StrEnum):
    EXISTING = "existing"
    NEW = "new"
    REVIEW = "review"


class ReviewReason(enum.StrEnum):
    """Why a patient waits for review: each has its own words in the summary."""

    SAME_DEMOGRAPHICS = "same_demographics"
    IDENTIFIER_CONFLICT = "identifier_conflict"
    TWO_PATIENTS = "two_patients"


class Demographics(NamedTuple):
    given_name: str
    family_name: str
    birth_date: datetime.date
    sex: str

    @classmethod
    def of(cls, patient: Patient) -> Demographics:
        return cls(patient.given_name, patient.family_name, patient.birth_date, patient.sex)

    def has_name(self, given: str, family: str) -> bool:
        """The same given and family name, letter case and spacing aside."""
        return _fold(self.given_name) == _fold(given) and _fold(self.family_name) == _fold(family)

    def sex_agrees(self, other: Demographics) -> bool:
        return self.sex == other.sex or self.sex in _NO_SEX or other.sex in _NO_SEX

    def agrees_with(self, other: Demographics) -> bool:
        """Same name and birth date, and the same sex when both record one."""
        return (
            self.birth_date == other.birth_date
            and self.has_name(other.given_name, other.family_name)
            and self.sex_agrees(other)
        )


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


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
    # The names the resource marks as former (use "old" or "maiden", or a period that has
    # ended), as (given, family): what lets the clinic's MRN follow a change of name (see
    # `is_renamed_from`). Not kept by a review.
    former_names: list[tuple[str, str]] = field(default_factory=list)

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
            former_names=[
                _given_family(name)
                for name in json_objects(resource.get("name"))
                if _is_former(name)
            ],
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

    @property
    def demographics(self) -> Demographics:
        return Demographics(self.given_name, self.family_name, self.birth_date, self.sex)

    def is_renamed_from(self, patient: Patient) -> bool:
        """Same birth date and sex, and the stored name is one the incoming record marks former."""
        stored = Demographics.of(patient)
        return (
            stored.birth_date == self.birth_date
            and stored.sex_agrees(self.demographics)
            and any(stored.has_name(given, family) for given, family in self.former_names)
        )


def json_objects(value: Any) -> list[dict[str, Any]]:
    """The JSON objects in a list; nothing for anything else (exports are not always valid)."""
    return (
        [member for member in value if isinstance(member, dict)] if isinstance(value, list) else []
    )


def short_text(value: Any, limit: int) -> str:
    """Text, trimmed and cut to `limit` characters; "" for anything else."""
    return value.strip()[:limit] if isinstance(value, str) else ""


def _official_name(names: Any) -> tuple[str, str]:
    options = json_objects(names)
    name = next((n for n in options if n.get("use") == "official"), options[0] if options else {})
    return _given_family(name)


def _is_former(name: dict[str, Any]) -> bool:
    period = name.get("period")
    has_ended = isinstance(period, dict) and bool(period.get("end"))
    return name.get("use") in ("old", "maiden") or has_ended


def _given_family(name: dict[str, Any]) -> tuple[str, str]:
    given = name.get("given")
    first = given[0] if isinstance(given, list) and given else ""
    return short_text(first, 100), short_text(name.get("family"), 100)


def _identifiers(identifiers: Any, own_system: str) -> tuple[list[Identifier], str, str]:
    """Usable (system, value) pairs, the clinic MRN carried, and the MRN for a new patient."""
    pairs: list[Identifier] = []
    own_mrn = typed_mrn = ""
    for identifier in json_objects(identifiers):
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
    """The outcome for one incoming patient. `patient` is the match, or a review's candidate.

    A review's candidate may be a patient this same input creates: then `patient` is None and
    `candidate_id` is that patient's UUID, created (or not) by the time its group is held.
    """

    kind: MatchKind
    patient: Patient | None = None
    new_id: uuid.UUID | None = None
    reason: ReviewReason | None = None
    candidate_id: uuid.UUID | None = None
    # The clinic's MRN matched a patient recorded under a former name: take the new one.
    renamed: bool = False

    @property
    def portal_id(self) -> str:
        """The portal patient's UUID, or "" while a review is pending."""
        if self.kind == MatchKind.EXISTING and self.patient is not None:
            return str(self.patient.pk)
        return str(self.new_id) if self.new_id else ""


def _review(reason: ReviewReason, patient: Patient) -> Match:
    return Match(MatchKind.REVIEW, patient=patient, reason=reason)


def match_patients(clinic: Clinic, incoming: Sequence[Incoming]) -> list[Match]:
    """Match each incoming patient, in three queries whatever the number.

    Each is matched against the clinic's patients, then against the input's earlier patients,
    so that two people of one file who share an identifier are not merged either.
    """
    by_identifier = _identifier_owners(clinic, incoming)
    candidates = _same_birth_date(clinic, incoming)
    earlier: dict[Identifier, tuple[Incoming, Match]] = {}
    matches = []
    for person in incoming:
        match = _match_stored(person, by_identifier, candidates)
        if match.kind == MatchKind.NEW:
            match = _match_earlier(person, earlier) or match
        for key in _keys(person):
            earlier.setdefault(key, (person, match))
        matches.append(match)
    return matches


def _keys(person: Incoming) -> list[Identifier]:
    strong = [(CLINIC_MRN, person.clinic_mrn)] if person.clinic_mrn else []
    return strong + person.identifiers


def _match_stored(
    person: Incoming,
    by_identifier: dict[Identifier, Patient],
    candidates: dict[datetime.date, list[Patient]],
) -> Match:
    strong = by_identifier.get((CLINIC_MRN, person.clinic_mrn)) if person.clinic_mrn else None
    if strong is not None:
        return _match_strong(person, strong)
    held = {
        by_identifier[key].pk: by_identifier[key] for key in _keys(person) if key in by_identifier
    }
    owners = list(held.values())
    if owners:
        return _match_weak(person, owners)
    same = [
        patient
        for patient in candidates.get(person.birth_date, [])
        if Demographics.of(patient).has_name(person.given_name, person.family_name)
    ]
    if same:
        return _review(ReviewReason.SAME_DEMOGRAPHICS, same[0])
    return Match(MatchKind.NEW, new_id=uuid.uuid4())


def _match_strong(person: Incoming, patient: Patient) -> Match:
    """The clinic's own MRN: a match unless the demographics contradict it."""
    if Demographics.of(patient).agrees_with(person.demographics):
        return Match(MatchKind.EXISTING, patient=patient)
    if person.is_renamed_from(patient):
        return Match(MatchKind.EXISTING, patient=patient, renamed=True)
    return _review(ReviewReason.IDENTIFIER_CONFLICT, patient)


def _match_weak(person: Incoming, owners: list[Patient]) -> Match:
    """Other systems: only a holder whose demographics agree is a match, and only one."""
    agreeing = [p for p in owners if Demographics.of(p).agrees_with(person.demographics)]
    # The clinic's own MRN names one patient: another MRN of the clinic contradicts the match.
    if person.clinic_mrn and any(p.mrn != person.clinic_mrn for p in agreeing):
        return _review(ReviewReason.IDENTIFIER_CONFLICT, agreeing[0])
    if len(agreeing) == 1:
        # A weak identifier another person also holds (licences are reissued, numbers
        # mistyped) does not outweigh the identifiers and demographics that agree.
        return Match(MatchKind.EXISTING, patient=agreeing[0])
    if agreeing:
        return _review(ReviewReason.TWO_PATIENTS, agreeing[0])
    return _review(ReviewReason.IDENTIFIER_CONFLICT, owners[0])


def _match_earlier(
    person: Incoming, earlier: dict[Identifier, tuple[Incoming, Match]]
) -> Match | None:
    """A new person compared with the input's earlier ones that share an identifier."""
    sharing = [earlier[key] for key in _keys(person) if key in earlier]
    if not sharing:
        return None
    other, match = sharing[0]
    if match.kind != MatchKind.REVIEW and person.demographics.agrees_with(other.demographics):
        # The same person twice in one input: one portal patient.
        return match
    return Match(
        MatchKind.REVIEW,
        patient=match.patient,
        candidate_id=match.candidate_id or match.new_id,
        reason=ReviewReason.IDENTIFIER_CONFLICT,
    )


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
