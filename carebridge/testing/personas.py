"""The cast every test shares. Each persona says what they may and may not see.

The caregivers and parents, and the patients they help, live in
`carebridge.testing.proxy_personas`; the authorisation matrix in `carebridge.testing.matrix`
runs every URL against every persona listed in `PERSONAS`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic, StaffRole
from carebridge.patients.models import Patient
from carebridge.testing import factories
from carebridge.testing.proxy_personas import PROXY_PERSONAS, ProxyCast, build_proxy_cast
from carebridge.testing.sample_record import SampleRecord, build_sample_record


@dataclass
class Cast:
    clinic: Clinic
    other_clinic: Clinic
    # Pat Patient: an enrolled adult patient. Sees only her own record and account.
    patient: Patient
    # Sam Second: another enrolled patient of the same clinic. Must never see Pat's record.
    second_patient: Patient
    # Una Unenrolled: a patient with no portal account yet (gets activation codes).
    unenrolled_patient: Patient
    # Dr Casey Clinician: clinical staff with MFA. Console yes; audit report and admin no.
    clinician: User
    # Nora Nurse: clinical staff with MFA. Console yes; audit report no.
    nurse: User
    # Fran Front-desk: staff with MFA. Console and activation codes; audit report no.
    front_desk: User
    # Bill Billing: staff with MFA. Console yes; activation codes and audit report no.
    billing: User
    # Ada Admin: clinic administrator with MFA. Everything in the console, the audit report too.
    clinic_admin: User
    # Olive Other-clinic admin: an administrator of a different clinic. Nothing of ours.
    other_clinic_admin: User
    # Stan No-MFA: a clinician who has not set up MFA. Sent to MFA set-up before anything else.
    staff_without_mfa: User
    # Val Visitor: a signed-in user who is neither patient nor staff. Own account pages only.
    visitor: User
    # Pat's and Sam's health records, for tests that ask for them (the `cast_with_records`
    # fixture): one resource of each kind, see `carebridge.testing.records`.
    record: SampleRecord | None = None
    second_record: SampleRecord | None = None
    # The caregivers and parents (see `proxy_personas`); set by `build_cast`.
    proxy_cast: ProxyCast | None = None

    @property
    def proxies(self) -> ProxyCast:
        assert self.proxy_cast is not None
        return self.proxy_cast

    @property
    def patient_user(self) -> User:
        assert self.patient.user is not None
        return self.patient.user

    @property
    def second_patient_user(self) -> User:
        assert self.second_patient.user is not None
        return self.second_patient.user


def build_cast() -> Cast:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    other = factories.make_clinic(name="Hilltop Health", slug="hilltop")
    make_staff = factories.make_staff
    cast = Cast(
        clinic=clinic,
        other_clinic=other,
        patient=factories.make_patient(
            clinic,
            user=factories.make_user(
                email="pat@example.org", first_name="Pat", last_name="Patient"
            ),
            given_name="Pat",
            family_name="Patient",
            mrn="RFC-1001",
            birth_date=datetime.date(1956, 3, 14),
        ),
        second_patient=factories.make_patient(
            clinic,
            user=factories.make_user(email="sam@example.org", first_name="Sam", last_name="Second"),
            given_name="Sam",
            family_name="Second",
            mrn="RFC-1002",
            sex="male",
            birth_date=datetime.date(1980, 7, 2),
        ),
        unenrolled_patient=factories.make_patient(
            clinic,
            given_name="Una",
            family_name="Unenrolled",
            mrn="RFC-1003",
            birth_date=datetime.date(1990, 1, 31),
        ),
        clinician=make_staff(
            clinic,
            StaffRole.CLINICIAN,
            email="casey@example.org",
            first_name="Casey",
            last_name="Clinician",
        ),
        nurse=make_staff(
            clinic, StaffRole.NURSE, email="nora@example.org", first_name="Nora", last_name="Nurse"
        ),
        front_desk=make_staff(
            clinic,
            StaffRole.FRONT_DESK,
            email="fran@example.org",
            first_name="Fran",
            last_name="Frontdesk",
        ),
        billing=make_staff(
            clinic,
            StaffRole.BILLING,
            email="bill@example.org",
            first_name="Bill",
            last_name="Billing",
        ),
        clinic_admin=make_staff(
            clinic,
            StaffRole.CLINIC_ADMIN,
            email="ada@example.org",
            first_name="Ada",
            last_name="Admin",
        ),
        other_clinic_admin=make_staff(
            other,
            StaffRole.CLINIC_ADMIN,
            email="olive@example.org",
            first_name="Olive",
            last_name="Other",
        ),
        staff_without_mfa=make_staff(
            clinic,
            StaffRole.CLINICIAN,
            with_mfa=False,
            email="stan@example.org",
            first_name="Stan",
            last_name="NoMFA",
        ),
        visitor=factories.make_user(email="val@example.org", first_name="Val", last_name="Visitor"),
    )
    cast.proxy_cast = build_proxy_cast(clinic, cast.patient, cast.front_desk)
    return cast


def add_records(cast: Cast) -> Cast:
    """Give Pat and Sam a sample health record each."""
    cast.record = build_sample_record(cast.patient)
    cast.second_record = build_sample_record(cast.second_patient)
    return cast


# Persona names as the authorisation matrix uses them; "anonymous" is nobody signed in.
PERSONAS = [
    "anonymous",
    "patient",
    "second_patient",
    "visitor",
    "clinician",
    "nurse",
    "front_desk",
    "billing",
    "clinic_admin",
    "other_clinic_admin",
    "staff_without_mfa",
    *PROXY_PERSONAS,
]


def user_for(cast: Cast, persona: str) -> User | None:
    if persona == "anonymous":
        return None
    if persona == "patient":
        return cast.patient_user
    if persona == "second_patient":
        return cast.second_patient_user
    if persona in PROXY_PERSONAS:
        proxy: User = getattr(cast.proxies, persona)
        return proxy
    user: User = getattr(cast, persona)
    return user
