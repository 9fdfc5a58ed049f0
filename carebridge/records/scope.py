"""What of one patient's record a viewer may see: the patient, the parts, and sensitive items.

Every selector and export that reads a patient's clinical resources starts from a
`RecordScope`, which the access layer builds from the acting context (see `records.access`).
Its querysets already leave out what the viewer may not see, so no page, count, chart,
download or share can forget to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient
    from carebridge.proxies.acting import ActingContext

T = TypeVar("T")


@dataclass(frozen=True)
class RecordScope:
    """One patient's record as one viewer may see it.

    `parts` holds the names of `proxies.acting.RECORD_PARTS` the viewer may see (None: all);
    with `hides_sensitive`, resources labelled sensitive by their source are left out.
    """

    patient: Patient
    hides_sensitive: bool = False
    parts: frozenset[str] | None = None
    # The patient, or someone acting for them, whose kept key every change to this patient's
    # record renews (`records.services` call `proxies.kept.forget_for_patients`): the record's
    # counts may be kept under it between requests (`kept`). None for staff: counted each time.
    viewer: User | None = field(default=None, compare=False)

    @classmethod
    def whole(cls, patient: Patient) -> RecordScope:
        """The whole record, as the patient themself sees it."""
        return cls(patient=patient)

    @classmethod
    def of_acting(cls, acting: ActingContext) -> RecordScope | None:
        """The record the acting context acts on, as it lets the viewer see it (None if none)."""
        if acting.patient is None:
            return None
        from carebridge.proxies.acting import Relationship

        on_the_patients_side = acting.relationship in (Relationship.SELF, Relationship.PROXY)
        return cls(
            patient=acting.patient,
            hides_sensitive=acting.hides_sensitive,
            parts=acting.record_parts,
            viewer=acting.user if on_the_patients_side else None,
        )

    def kept(self, name: str, count: Callable[[], T]) -> T:
        """`count()`, kept between the viewer's requests under their kept key while nothing in
        the record changes (counted each time for a scope without a viewer)."""
        if self.viewer is None:
            return count()
        from carebridge.accounts.kept import kept

        parts = ",".join(sorted(self.parts)) if self.parts is not None else "*"
        name = f"record:{name}:{self.patient.pk}:{self.hides_sensitive}:{parts}"
        return kept(self.viewer, name, count)

    def may_see(self, part: str) -> bool:
        return self.parts is None or part in self.parts

    def all_resources(self) -> ClinicalResourceQuerySet:
        """The patient's resources this viewer may know of, held ones included (for counts)."""
        rows = ClinicalResource.objects.for_patient(self.patient.pk)
        return rows.filter(is_sensitive=False) if self.hides_sensitive else rows

    def resources(self) -> ClinicalResourceQuerySet:
        """The patient's resources this viewer may see: released, not entered in error."""
        return self.all_resources().visible_to_patient()
