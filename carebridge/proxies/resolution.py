"""Building the acting context for a request: the one place that decides who acts for whom.

A signed-in user acts for themselves (when they have a patient record), as clinic staff, or,
once they choose someone in the header switcher, for a patient whose proxy grant is in force
today. The grant is read again on every request and the age rules and end dates applied to
it then, so a revocation, an end date or a birthday takes effect on the proxy's next request,
without waiting for the daily task that marks lapsed grants ended.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

from carebridge.accounts.models import User
from carebridge.clinic.models import StaffMember
from carebridge.patients.models import Patient
from carebridge.proxies import rules
from carebridge.proxies.acting import ANONYMOUS, ActingContext, Helped, Relationship
from carebridge.proxies.models import ProxyGrant, ProxyRelationship

# The session key holding the id of the patient the user has chosen to act for.
ACTING_FOR_SESSION_KEY = "carebridge_acting_for"


class InForce(NamedTuple):
    """A grant in force today, and what it gives today."""

    grant: ProxyGrant
    scopes: frozenset[str]
    record_parts: frozenset[str]
    # Whether the patient's own conversations are kept from this proxy (a teenager's parent).
    hides_patients_own_messages: bool
    # The teenager's age when the teen rules narrow what this parent sees (else None).
    teen_private_age: int | None = None


def grants_in_force(user: User) -> list[InForce]:
    """The user's proxy grants that give something today, oldest first (one query).

    Each grant's dates and age rules are applied in its patient's clinic's time zone; a grant
    that gives nothing today (ended, not yet started, a parent's once the child is grown up)
    is left out, whatever its stored status says.
    """
    grants = (
        ProxyGrant.objects.active()
        .for_proxy(user)
        .select_related("patient__clinic")
        .order_by("granted_at")
    )
    in_force = []
    for grant in grants:
        patient = grant.patient
        today = rules.clinic_today(patient.clinic)
        scopes = rules.effective_scopes(
            grant, patient_birth_date=patient.birth_date, today=today, clinic=patient.clinic
        )
        if scopes:
            when = {"patient_birth_date": patient.birth_date, "today": today}
            parts = rules.effective_record_parts(grant, clinic=patient.clinic, **when)
            private = rules.hides_patients_own_messages(grant, clinic=patient.clinic, **when)
            teen_age = rules.teen_private_age(grant, clinic=patient.clinic, **when)
            in_force.append(InForce(grant, scopes, parts, private, teen_age))
    return in_force


def _helped(entry: InForce) -> Helped:
    patient = entry.grant.patient
    return Helped(
        patient_id=str(patient.pk),
        name=patient.display_name,
        initial=patient.initial,
        relationship_label=str(ProxyRelationship(entry.grant.relationship).label),
    )


def resolve_acting_context(user: User | None, acting_for: str = "") -> ActingContext:
    """The acting context for a user who chose to act for the patient `acting_for` (an id),
    or for themselves (""). Three queries: staff membership, own record, grants in force.

    Privacy rule: a proxy context exists only while a grant is in force today; its scopes and
    record parts are the grant's after the age rules, and sensitive resources are hidden. When
    the chosen patient is not (or no longer) among them, the user acts for themselves, and the
    context's `patient` says so; the middleware then forgets the choice.
    """
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    staff = StaffMember.objects.filter(user=user, is_active=True).select_related("clinic").first()
    own = Patient.objects.filter(user=user).select_related("clinic").first()
    in_force = grants_in_force(user)
    base = ActingContext(
        user=user, staff=staff, own_patient=own, helped=tuple(_helped(e) for e in in_force)
    )
    chosen = next((e for e in in_force if str(e.grant.patient_id) == acting_for), None)
    if acting_for and chosen is not None:
        return dataclasses.replace(
            base,
            patient=chosen.grant.patient,
            relationship=Relationship.PROXY,
            scopes=chosen.scopes,
            record_parts=chosen.record_parts,
            hides_sensitive=True,
            hides_patients_own_messages=chosen.hides_patients_own_messages,
            teen_private_age=chosen.teen_private_age,
            grant_id=str(chosen.grant.pk),
        )
    if own is not None:
        return dataclasses.replace(base, patient=own, relationship=Relationship.SELF)
    if staff is not None:
        return dataclasses.replace(base, relationship=Relationship.STAFF)
    return base
