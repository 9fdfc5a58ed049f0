"""Whose record a person may connect an app to: their own, and each person they act for today.

`proxies` alone decides whether someone may act for a patient; this module only asks it
(`resolve_acting_context`), once for the person's own record and once for each person their
grants in force today let them help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebridge.proxies.resolution import resolve_acting_context

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic
    from carebridge.patients.models import Patient

SELF = "self"
PROXY = "proxy"


@dataclass(frozen=True)
class Person:
    """A record the user may connect an app to, as whom, and which record sections they may
    see (None: every section, for the patient themself)."""

    patient: Patient
    acting_as: str
    record_parts: frozenset[str] | None

    @property
    def is_self(self) -> bool:
        return self.acting_as == SELF

    def may_share(self, record_part: str) -> bool:
        return self.record_parts is None or record_part in self.record_parts


def list_people(user: User, clinic: Clinic) -> list[Person]:
    """The records of this clinic's patients the user may connect an app to: their own, then
    each person they help today whose record they may see some part of (3 queries, and 3 more
    for each person they help)."""
    base = resolve_acting_context(user, "")
    people = []
    own = base.own_patient
    if own is not None and own.clinic_id == clinic.pk:
        people.append(Person(own, SELF, None))
    for helped in base.helped:
        acting = resolve_acting_context(user, helped.patient_id)
        patient = acting.patient
        in_clinic = patient is not None and patient.clinic_id == clinic.pk
        if acting.is_proxy and in_clinic and acting.record_parts:
            assert patient is not None
            people.append(Person(patient, PROXY, acting.record_parts))
    return people


def record_parts_now(user: User, patient: Patient, *, acting_as: str) -> frozenset[str] | None:
    """The record sections the user may see of the patient today, acting as they connected the
    app: None (every section) for the patient themself, a proxy grant's sections today for a
    caregiver or parent, and an empty set when they no longer have that relationship."""
    if acting_as == SELF:
        return None if patient.user_id == user.pk else frozenset()
    acting = resolve_acting_context(user, str(patient.pk))
    if acting.is_proxy and acting.patient == patient and acting.record_parts is not None:
        return acting.record_parts
    return frozenset()


def is_still_allowed(user: User, patient: Patient, *, acting_as: str) -> bool:
    """Whether the user still has the relationship to the patient they connected an app as:
    the patient's own account, or a proxy grant in force today that shows some of the record."""
    return record_parts_now(user, patient, acting_as=acting_as) != frozenset()
