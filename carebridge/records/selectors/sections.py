"""Reads for the record's lists: medications, allergies, immunizations, problems, procedures.

Privacy rule, for every selector here: it takes the viewer's `RecordScope` (from
`access_record`, never an id from the request) and reads only that patient's released resources
that were not entered in error, leaving out sensitive ones when the scope hides them. Lists read
index columns; where a page needs one more field, the database extracts that one JSON key, so no
list ever loads every resource's JSON.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.fields.json import KT, KeyTransform
from django.utils.translation import gettext as _

from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet, ResourceType
from carebridge.records.selectors import wording
from carebridge.records.selectors.wording import calendar_day, clinic_zone, words_for

if TYPE_CHECKING:
    from carebridge.records.scope import RecordScope

SNOMED = "http://snomed.info/sct"
ACTIVE_MEDICATION = ("active", "on-hold")
CURRENT_CONDITION = ("active", "recurrence", "relapse")
# Verification codes that mean "this is not (or was never) true": such entries are not shown.
NOT_TRUE = ("refuted", "entered-in-error")
# SNOMED CT statements that the patient has no known allergy (of a kind).
NO_KNOWN_ALLERGY = {
    "716186003": "all",
    "409137002": "medication",
    "429625007": "food",
    "428607008": "environment",
}
# CVX codes of seasonal flu vaccines, which patients know as one vaccine given every year.
FLU_VACCINES = frozenset(
    [
        "88",
        "111",
        "135",
        "140",
        "141",
        "144",
        "149",
        "150",
        "151",
        "153",
        "155",
        "158",
        "161",
        "166",
        "168",
        "171",
        "185",
        "186",
        "197",
        "205",
    ]
)
PROCEDURES_PER_PAGE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class RowPage(Generic[T]):
    """One page of a list: Django's page (for the page links) and its rows, ready to show."""

    page: Page[ClinicalResource]
    rows: list[T]


def page_of(
    rows: QuerySet[ClinicalResource],
    page_number: str | None,
    per_page: int,
    to_row: Callable[[ClinicalResource], T],
) -> RowPage[T]:
    """One page of `rows` (a count and a slice: two queries, whatever the record's size)."""
    page = Paginator(rows, per_page).get_page(page_number)
    return RowPage(page=page, rows=[to_row(row) for row in page.object_list])


def visible_rows(scope: RecordScope) -> ClinicalResourceQuerySet:
    """The resources the viewer may see (see `RecordScope.resources`), without their JSON."""
    return scope.resources().without_json()


def visible_of_types(scope: RecordScope, *resource_types: str) -> ClinicalResourceQuerySet:
    return visible_rows(scope).filter(resource_type__in=resource_types)


def verified(rows: Iterable[ClinicalResource]) -> list[ClinicalResource]:
    """Rows annotated by `with_verification`, less those found untrue or entered in error."""
    return [row for row in rows if getattr(row, "verification", None) not in NOT_TRUE]


def with_verification(rows: ClinicalResourceQuerySet) -> ClinicalResourceQuerySet:
    return rows.annotate(verification=KT("resource__verificationStatus__coding__0__code"))


class Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)


def _current_and_past(
    rows: Iterable[ClinicalResource],
    current_statuses: tuple[str, ...],
    to_item: Callable[[ClinicalResource], N],
) -> tuple[list[N], list[N]]:
    """Items of the rows whose clinical status is current, by name, and of the others, in the
    rows' order (newest first)."""
    current: list[N] = []
    past: list[N] = []
    for row in rows:
        (current if row.clinical_status in current_statuses else past).append(to_item(row))
    current.sort(key=lambda item: item.name.casefold())
    return current, past


# Medications.


@dataclass(frozen=True)
class MedicationRow:
    name: str
    instructions: str
    prescriber: str
    started: datetime.date | None
    status: str


@dataclass(frozen=True)
class MedicationList:
    active: list[MedicationRow]
    past: list[MedicationRow]


def list_medications(scope: RecordScope) -> MedicationList:
    """Prescriptions and medication statements: active (or paused) ones by name, past ones newest
    first. One query."""
    zone = clinic_zone(scope.patient)

    def to_row(row: ClinicalResource) -> MedicationRow:
        return MedicationRow(
            name=row.code_display or _("Medicine name not recorded"),
            instructions=row.detail,
            prescriber=row.performer,
            started=calendar_day(row.effective_at, zone),
            status=words_for(wording.MEDICATION_STATUS, row.clinical_status),
        )

    rows = visible_of_types(
        scope, ResourceType.MEDICATION_REQUEST, ResourceType.MEDICATION_STATEMENT
    ).newest_first()
    active, past = _current_and_past(rows, ACTIVE_MEDICATION, to_row)
    return MedicationList(active=active, past=past)


# Allergies.


@dataclass(frozen=True)
class AllergyRow:
    substance: str
    reaction: str
    kind: str
    criticality: str
    is_high_risk: bool
    status: str
    recorded: datetime.date | None


@dataclass(frozen=True)
class NoKnownAllergy:
    """A statement in the record that the patient has no known allergy (of some kind)."""

    text: str
    scope: str
    recorded: datetime.date | None


@dataclass(frozen=True)
class AllergyList:
    current: list[AllergyRow]
    past: list[AllergyRow]
    no_known: list[NoKnownAllergy]

    @property
    def has_no_known_allergies(self) -> bool:
        """The record says so in as many words (SNOMED CT 716186003), and lists none current."""
        return not self.current and any(item.scope == "all" for item in self.no_known)

    @property
    def no_known_allergies_recorded(self) -> datetime.date | None:
        """When the newest "no known allergies" statement was recorded."""
        days = [item.recorded for item in self.no_known if item.scope == "all" and item.recorded]
        return max(days, default=None)


def _no_known(row: ClinicalResource) -> bool:
    return row.code in NO_KNOWN_ALLERGY and row.code_system in (SNOMED, "")


def list_allergies(scope: RecordScope) -> AllergyList:
    """Allergies and intolerances, current first, apart from "no known allergy" statements.

    Entries verified as refuted or entered in error are left out. One query.
    """
    zone = clinic_zone(scope.patient)
    rows = with_verification(visible_of_types(scope, ResourceType.ALLERGY).newest_first()).annotate(
        criticality=KT("resource__criticality"),
        kind=KT("resource__category__0"),
    )
    lists = AllergyList(current=[], past=[], no_known=[])
    for row in verified(rows):
        recorded = calendar_day(row.effective_at, zone)
        if _no_known(row):
            text = row.code_display or _("No known allergy")
            lists.no_known.append(NoKnownAllergy(text, NO_KNOWN_ALLERGY[row.code], recorded))
            continue
        item = _allergy_row(row, recorded)
        is_current = row.clinical_status in ("active", "")
        (lists.current if is_current else lists.past).append(item)
    return lists


def _allergy_row(row: Any, recorded: datetime.date | None) -> AllergyRow:
    status = words_for(wording.ALLERGY_STATUS, row.clinical_status or "active")
    if row.verification in wording.ALLERGY_VERIFICATION:
        status = f"{status} ({wording.ALLERGY_VERIFICATION[row.verification]})"
    return AllergyRow(
        substance=row.code_display or _("Substance not recorded"),
        reaction=row.detail,
        kind=words_for(wording.ALLERGY_CATEGORY, row.kind) if row.kind else "",
        criticality=words_for(wording.CRITICALITY, row.criticality) if row.criticality else "",
        is_high_risk=row.criticality == "high",
        status=status,
        recorded=recorded,
    )


# Immunizations.


@dataclass(frozen=True)
class ImmunizationRow:
    vaccine: str
    given_on: datetime.date | None
    dose: str
    status: str
    was_given: bool


@dataclass
class VaccineGroup:
    """Every dose of one vaccine (all seasonal flu vaccines count as one), newest first."""

    name: str
    doses: list[ImmunizationRow] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        """The years a dose was given, newest first, each once."""
        years = [dose.given_on.year for dose in self.doses if dose.was_given and dose.given_on]
        return sorted(set(years), reverse=True)

    @property
    def was_given(self) -> bool:
        """At least one dose was given (with or without a date on record)."""
        return any(dose.was_given for dose in self.doses)


def list_immunizations(scope: RecordScope) -> list[VaccineGroup]:
    """Immunizations grouped by vaccine, the most recently given vaccine first. One query."""
    zone = clinic_zone(scope.patient)
    rows = (
        visible_of_types(scope, ResourceType.IMMUNIZATION)
        .newest_first()
        .annotate(
            lot=KT("resource__lotNumber"),
            protocol=KeyTransform("0", KeyTransform("protocolApplied", "resource")),
            dose_quantity=KeyTransform("doseQuantity", "resource"),
        )
    )
    groups: dict[str, VaccineGroup] = {}
    for row in rows:
        key, name = _vaccine_group(row)
        group = groups.setdefault(key, VaccineGroup(name=name))
        group.doses.append(
            ImmunizationRow(
                vaccine=row.code_display or _("Vaccine name not recorded"),
                given_on=calendar_day(row.effective_at, zone),
                dose=_dose_words(row),
                status=words_for(wording.IMMUNIZATION_STATUS, row.status),
                was_given=row.status == "completed",
            )
        )
    return list(groups.values())


def _vaccine_group(row: ClinicalResource) -> tuple[str, str]:
    if row.code in FLU_VACCINES and row.code_system.endswith("cvx"):
        return "flu", _("Flu vaccine")
    name = row.code_display or _("Vaccine name not recorded")
    return (f"{row.code_system}|{row.code}" if row.code else name.casefold()), name


def _dose_words(row: Any) -> str:
    """ "Dose 2, 0.5 mL, batch (lot) FLU-2291": whichever of these the record holds."""
    parts = []
    protocol = row.protocol if isinstance(row.protocol, dict) else {}
    number = protocol.get("doseNumberPositiveInt") or protocol.get("doseNumberString")
    if number:
        parts.append(_("Dose %(number)s") % {"number": number})
    quantity = row.dose_quantity if isinstance(row.dose_quantity, dict) else {}
    amount = wording.quantity_words(quantity.get("value"), str(quantity.get("unit") or ""))
    if amount:
        parts.append(amount)
    if row.lot:
        parts.append(_("batch (lot) %(lot)s") % {"lot": row.lot})
    return ", ".join(parts)


# Problems.


@dataclass(frozen=True)
class ProblemRow:
    name: str
    onset: datetime.date | None
    resolved: datetime.date | None
    status: str


@dataclass(frozen=True)
class ProblemList:
    current: list[ProblemRow]
    past: list[ProblemRow]


def list_problems(scope: RecordScope) -> ProblemList:
    """Conditions: current ones by name, the others newest first. Entries verified as refuted
    or entered in error are left out. One query."""
    zone = clinic_zone(scope.patient)

    def to_row(row: ClinicalResource) -> ProblemRow:
        return ProblemRow(
            name=row.code_display or _("Problem name not recorded"),
            onset=calendar_day(row.effective_at, zone),
            resolved=calendar_day(row.effective_end, zone),
            status=words_for(wording.CONDITION_STATUS, row.clinical_status),
        )

    rows = with_verification(visible_of_types(scope, ResourceType.CONDITION).newest_first())
    current, past = _current_and_past(verified(rows), CURRENT_CONDITION, to_row)
    return ProblemList(current=current, past=past)


# Procedures.


@dataclass(frozen=True)
class ProcedureRow:
    name: str
    performed_on: datetime.date | None
    status: str
    performer: str


def list_procedures(scope: RecordScope, page_number: str | None) -> RowPage[ProcedureRow]:
    """Procedures, newest first, one page at a time (two queries)."""
    zone = clinic_zone(scope.patient)

    def to_row(row: ClinicalResource) -> ProcedureRow:
        return ProcedureRow(
            name=row.code_display or _("Procedure name not recorded"),
            performed_on=calendar_day(row.effective_at, zone),
            status=words_for(wording.EVENT_STATUS, row.status),
            performer=row.performer,
        )

    rows = visible_of_types(scope, ResourceType.PROCEDURE).newest_first()
    return page_of(rows, page_number, PROCEDURES_PER_PAGE, to_row)
