"""Who is signed in, and whose record they are acting on.

This is the one place every access check starts from: a user acts for themselves (if they are
a patient), as clinic staff, or as a caregiver or parent for someone who gave them a proxy
grant. `carebridge.proxies.resolution` builds the context on every request from the grants in
force that day, so no other app ever decides whether someone may act for a patient: they ask
the context (`may`, `may_see_part`, `hides_sensitive`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    PROXY = "proxy"
    NONE = "none"


@dataclass(frozen=True)
class Helped:
    """Someone the viewer may act for today through a proxy grant, for the header switcher."""

    patient_id: str
    name: str
    initial: str
    relationship_label: str


@dataclass(frozen=True)
class ActingContext:
    """The viewer and the patient whose record they act on (None when there is none)."""

    user: User | None
    patient: Patient | None = None
    relationship: Relationship = Relationship.NONE
    staff: StaffMember | None = None
    # For a proxy: the ProxyScope values their grant gives today (see `may`).
    scopes: frozenset[str] = field(default_factory=frozenset)
    # Which of `RECORD_PARTS` the viewer may see; None means every part.
    record_parts: frozenset[str] | None = None
    # Whether resources their source labelled sensitive must be left out of everything the
    # viewer sees: pages, counts, charts, downloads and shares.
    hides_sensitive: bool = False
    # Whether the patient's own conversations with the clinic (the ones they started, with the
    # clinic's replies) are kept from the viewer: a teenager's parent, unless the teen shares.
    hides_patients_own_messages: bool = False
    # A teenager's age when the clinic's teen rules keep parts of their account from this
    # parent (`rules.teen_private_age`): the pages say so, and why. None otherwise.
    teen_private_age: int | None = None
    # The viewer's own patient record, whoever they act for now ("me" in the switcher).
    own_patient: Patient | None = None
    # Everyone the viewer may act for today, and the grant they act through now (if any).
    helped: tuple[Helped, ...] = ()
    grant_id: str = ""

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def is_self(self) -> bool:
        return self.relationship is Relationship.SELF

    @property
    def is_staff(self) -> bool:
        return self.staff is not None

    @property
    def is_proxy(self) -> bool:
        """Acting for someone else through a proxy grant."""
        return self.relationship is Relationship.PROXY

    @property
    def can_switch(self) -> bool:
        """Whether the header offers a choice of whose account to use."""
        return bool(self.helped)

    def may(self, scope: str) -> bool:
        """Whether the viewer may use this part of the patient's account (a ProxyScope value):
        a patient may use all of their own; a proxy, only what their grant gives today."""
        if self.patient is None:
            return False
        return self.relationship is Relationship.SELF or scope in self.scopes

    def may_see_part(self, part: str) -> bool:
        """Whether the viewer may see this part of the record (one of `RECORD_PARTS`)."""
        return self.record_parts is None or part in self.record_parts

    def may_see_patient(self, patient: Patient) -> bool:
        """Whether the viewer may act on this patient's record from the patient side."""
        return self.patient is not None and self.patient.pk == patient.pk


ANONYMOUS = ActingContext(user=None)
