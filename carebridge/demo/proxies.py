"""The demo clinic's caregiver and parent, so that proxy access can be tried from the portal.

Carol Reyes is the adult child of the oldest patient, who let her see their record and results,
book appointments and write to the clinic (not bills or account settings). Jordan Bell is the
parent of the youngest child and of a teenager, given access by the front desk; from the
teenager's own account one can choose what to share with the parent, who until then sees only
the teen-limited view (see `carebridge.proxies.rules`).

Like the rest of the demo, grants are written with the model and not through the proxy
services: no audit events and no e-mails, since the people are synthetic and nobody acts on a
real record. Everything is keyed on e-mail addresses and MRNs. A rerun brings each grant back to
its defined state, keeping one open grant per patient and proxy; a grant someone ended while
trying the demo stays as history and a fresh active one replaces it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic
from carebridge.demo.accounts import OWN_ACCOUNT_FROM_AGE, DemoSignIn, upsert_user
from carebridge.demo.generator import AGE_BANDS, EMAIL_DOMAIN, PatientSpec
from carebridge.patients.models import Patient
from carebridge.proxies.models import (
    OPEN_STATUSES,
    GrantStatus,
    ProxyGrant,
    ProxyRelationship,
    ProxyScope,
)

CAREGIVER_ROLE = "caregiver"
PARENT_ROLE = "parent"

# Sorted, as the proxy services store scopes.
CAREGIVER_SCOPES = sorted(
    scope.value
    for scope in (
        ProxyScope.RECORD,
        ProxyScope.RESULTS,
        ProxyScope.APPOINTMENTS,
        ProxyScope.MESSAGING,
    )
)
PARENT_SCOPES = sorted(ProxyScope.values)
CAREGIVER_SINCE_DAYS = 60
PARENT_SINCE_DAYS = 90
PARENT_NOTE = "Demo: identity and relationship checked at the front desk"


@dataclass(frozen=True)
class ProxyPerson:
    """A demo account that acts for others; its address is named after its role."""

    role: str
    given_name: str
    family_name: str

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def email(self) -> str:
        return f"{self.role}@{EMAIL_DOMAIN}"


CAREGIVER = ProxyPerson(CAREGIVER_ROLE, "Carol", "Reyes")
PARENT = ProxyPerson(PARENT_ROLE, "Jordan", "Bell")


@dataclass(frozen=True)
class GrantPlan:
    """The defined state of one demo grant (always active, with no end date)."""

    patient: Patient
    proxy: User
    relationship: str
    scopes: list[str]
    starts_on: datetime.date
    granted_by: User
    is_parental: bool
    note: str = ""


def load_demo_proxies(
    clinic: Clinic,
    password: str,
    *,
    front_desk: User,
    specs: list[PatientSpec],
    today: datetime.date,
) -> list[DemoSignIn]:
    """Create or refresh the demo caregiver and parent and their grants; return their sign-ins.

    Call inside `load_demo_clinic`'s transaction, after the patients (`specs`, as of the
    clinic's `today`). Writes no audit events and sends no e-mails (see the module docstring).
    """
    caregiver = upsert_person(CAREGIVER, password)
    parent = upsert_person(PARENT, password)
    plans = [
        caregiver_plan(clinic, oldest_enrolled(specs, today), caregiver, today),
        parent_plan(clinic, youngest_in_band(specs, "child", today), parent, front_desk, today),
        parent_plan(clinic, youngest_in_band(specs, "teenager", today), parent, front_desk, today),
    ]
    for plan in plans:
        upsert_grant(plan)
    return [sign_in(CAREGIVER), sign_in(PARENT)]


def upsert_person(person: ProxyPerson, password: str) -> User:
    return upsert_user(
        email=person.email,
        given_name=person.given_name,
        family_name=person.family_name,
        password=password,
    )


def sign_in(person: ProxyPerson) -> DemoSignIn:
    return DemoSignIn(role=person.role, name=person.name, email=person.email)


def band_label(spec: PatientSpec, today: datetime.date) -> str:
    """The generator's age band ("child", "teenager", …) a patient falls in today."""
    age = spec.age(today)
    return next((band.label for band in AGE_BANDS if band.youngest <= age <= band.oldest), "")


def oldest_enrolled(specs: list[PatientSpec], today: datetime.date) -> PatientSpec:
    enrolled = [spec for spec in specs if spec.age(today) >= OWN_ACCOUNT_FROM_AGE]
    return min(enrolled, key=lambda spec: (spec.birth_date, spec.mrn))


def youngest_in_band(specs: list[PatientSpec], label: str, today: datetime.date) -> PatientSpec:
    """The youngest patient in the band: a teenager chosen so stays one the longest."""
    in_band = [spec for spec in specs if band_label(spec, today) == label]
    return max(in_band, key=lambda spec: (spec.birth_date, spec.mrn))


def demo_patient(clinic: Clinic, spec: PatientSpec) -> Patient:
    return Patient.objects.select_related("user").get(clinic=clinic, mrn=spec.mrn)


def caregiver_plan(
    clinic: Clinic, spec: PatientSpec, caregiver: User, today: datetime.date
) -> GrantPlan:
    """The grant an adult patient gave their grown-up child from their own account."""
    patient = demo_patient(clinic, spec)
    if patient.user is None:
        raise RuntimeError(f"Demo patient {spec.mrn} should have a portal account.")
    return GrantPlan(
        patient=patient,
        proxy=caregiver,
        relationship=ProxyRelationship.ADULT_CHILD,
        scopes=CAREGIVER_SCOPES,
        starts_on=today - datetime.timedelta(days=CAREGIVER_SINCE_DAYS),
        granted_by=patient.user,
        is_parental=False,
    )


def parent_plan(
    clinic: Clinic, spec: PatientSpec, parent: User, front_desk: User, today: datetime.date
) -> GrantPlan:
    """The grant front-desk staff gave a parent after checking identity and relationship."""
    return GrantPlan(
        patient=demo_patient(clinic, spec),
        proxy=parent,
        relationship=ProxyRelationship.PARENT,
        scopes=PARENT_SCOPES,
        starts_on=today - datetime.timedelta(days=PARENT_SINCE_DAYS),
        granted_by=front_desk,
        is_parental=True,
        note=PARENT_NOTE,
    )


def upsert_grant(plan: GrantPlan) -> ProxyGrant:
    """The open grant for the plan's patient and proxy, put in the plan's state (what a
    teenager chose to share is cleared too); a new active grant when none is open."""
    grant, _ = ProxyGrant.objects.update_or_create(
        patient=plan.patient,
        proxy=plan.proxy,
        status__in=OPEN_STATUSES,
        defaults={
            "status": GrantStatus.ACTIVE,
            "relationship": plan.relationship,
            "scopes": plan.scopes,
            "starts_on": plan.starts_on,
            "ends_on": None,
            "granted_by": plan.granted_by,
            "is_parental": plan.is_parental,
            "teen_shared_scopes": [],
            "note": plan.note,
        },
    )
    return grant
