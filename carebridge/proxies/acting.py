"""Who is signed in, and whose record they are acting on.

This is the one place every access check starts from. For now a user acts for themselves
(if they are a patient) or as clinic staff; caregivers and parents will be resolved here too,
so no other app ever decides whether someone may act for a patient.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from carebridge.accounts.models import User
from carebridge.clinic.models import StaffMember
from carebridge.patients.models import Patient

# The parts of the health record a viewer may be allowed to see, one per record page (and
# "download" for taking copies out of the portal). A proxy's scopes and age rules narrow them.
RECORD_PARTS: tuple[str, ...] = (
    "summary",
    "results",
    "vitals",
    "medications",
    "allergies",
    "immunizations",
    "problems",
    "procedures",
    "visits",
    "documents",
    "care_team",
    "care_plans",
    "download",
)


class Relationship(enum.StrEnum):
    SELF = "self"
    STAFF = "staff"
    NONE = "none"


@dataclass(frozen=True)
class ActingContext:
    """The viewer and the patient whose record they act on (None when there is none)."""

    user: User | None
    patient: Patient | None = None
    relationship: Relationship = Relationship.NONE
    staff: StaffMember | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    # Which of `RECORD_PARTS` the viewer may see; None means every part.
    record_parts: frozenset[str] | None = None
    # Whether resources their source labelled sensitive must be left out of everything the
    # viewer sees: pages, counts, charts, downloads and shares.
    hides_sensitive: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def is_self(self) -> bool:
        return self.relationship is Relationship.SELF

    @property
    def is_staff(self) -> bool:
        return self.staff is not None

    def may_see_part(self, part: str) -> bool:
        """Whether the viewer may see this part of the record (one of `RECORD_PARTS`)."""
        return self.record_parts is None or part in self.record_parts

    def may_see_patient(self, patient: Patient) -> bool:
        """Whether the viewer may act on this patient's record from the patient side."""
        return self.patient is not None and self.patient.pk == patient.pk


ANONYMOUS = ActingContext(user=None)


def resolve_acting_context(user: User | None) -> ActingContext:
    """Resolve the acting context for a signed-in user (two queries at most, then cached)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    staff = StaffMember.objects.filter(user=user, is_active=True).select_related("clinic").first()
    patient = Patient.objects.filter(user=user).select_related("clinic").first()
    if patient is not None:
        return ActingContext(
            user=user, patient=patient, relationship=Relationship.SELF, staff=staff
        )
    if staff is not None:
        return ActingContext(user=user, relationship=Relationship.STAFF, staff=staff)
    return ActingContext(user=user)
