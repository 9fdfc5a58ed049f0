"""What of one patient's record a viewer may see: the patient, the parts, and sensitive items.

Every selector and export that reads a patient's clinical resources starts from a
`RecordScope`, which the access layer builds from the acting context (see `records.access`).
Its querysets already leave out what the viewer may not see, so no page, count, chart,
download or share can forget to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet

if TYPE_CHECKING:
    from carebridge.patients.models import Patient
    from carebridge.proxies.acting import ActingContext


@dataclass(frozen=True)
class RecordScope:
    """One patient's record as one viewer may see it.

    `parts` holds the names of `proxies.acting.RECORD_PARTS` the viewer may see (None: all);
    with `hides_sensitive`, resources labelled sensitive by their source are left out.
    """

    patient: Patient
    hides_sensitive: bool = False
    parts: frozenset[str] | None = None

    @classmethod
    def whole(cls, patient: Patient) -> RecordScope:
        """The whole record, as the patient themself sees it."""
        return cls(patient=patient)

    @classmethod
    def of_acting(cls, acting: ActingContext) -> RecordScope | None:
        """The record the acting context acts on, as it lets the viewer see it (None if none)."""
        if acting.patient is None:
            return None
        return cls(
            patient=acting.patient,
            hides_sensitive=acting.hides_sensitive,
            parts=acting.record_parts,
        )

    def may_see(self, part: str) -> bool:
        return self.parts is None or part in self.parts

    def all_resources(self) -> ClinicalResourceQuerySet:
        """The patient's resources this viewer may know of, held ones included (for counts)."""
        rows = ClinicalResource.objects.for_patient(self.patient.pk)
        return rows.filter(is_sensitive=False) if self.hides_sensitive else rows

    def resources(self) -> ClinicalResourceQuerySet:
        """The patient's resources this viewer may see: released, not entered in error."""
        return self.all_resources().visible_to_patient()
