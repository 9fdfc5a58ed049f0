"""Load the demo clinic: Riverside Family Clinic, its staff, practitioners and patients.

Every person here is synthetic (see `carebridge.demo.generator`); every e-mail address is on the
reserved `.test` domain, so nothing can ever be sent to a real person.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic, Location, Practitioner, StaffMember, StaffRole
from carebridge.demo.accounts import (
    OWN_ACCOUNT_FROM_AGE,
    PATIENT_ROLE,
    DemoSignIn,
    upsert_user,
)
from carebridge.demo.billing import demo_billing_patients, load_demo_billing
from carebridge.demo.clinical import PractitionerRef
from carebridge.demo.comments import load_demo_quick_comments
from carebridge.demo.generator import EMAIL_DOMAIN, PatientSpec, generate_patients
from carebridge.demo.messaging import load_demo_messaging
from carebridge.demo.proxies import load_demo_proxies
from carebridge.demo.records import load_demo_records
from carebridge.demo.scheduling import upsert_schedule
from carebridge.patients.models import Patient

CLINIC_SLUG = "riverside"
CLINIC_TIME_ZONE = "America/New_York"
PATIENT_COUNT = 12
# Children under this age get no portal account of their own: a parent will act for them.


@dataclass(frozen=True)
class LocationSpec:
    name: str
    address_line: str
    city: str
    state: str
    postal_code: str
    phone: str


@dataclass(frozen=True)
class PractitionerSpec:
    given_name: str
    family_name: str
    credentials: str
    specialty: str
    locations: tuple[str, ...]


@dataclass(frozen=True)
class StaffSpec:
    role: StaffRole
    given_name: str
    family_name: str

    @property
    def email(self) -> str:
        return f"{self.role.value.replace('_', '-')}@{EMAIL_DOMAIN}"


MAIN_OFFICE = "Riverside Main Office"
NORTH_OFFICE = "Millbrook Falls Office"
LOCATIONS = (
    LocationSpec(MAIN_OFFICE, "100 Water Street", "Riverside", "NY", "12801", "(518) 555-0101"),
    LocationSpec(NORTH_OFFICE, "42 Mill Road", "Millbrook Falls", "NY", "12803", "(518) 555-0102"),
)
PRACTITIONERS = (
    PractitionerSpec("Maya", "Chen", "MD", "Family medicine", (MAIN_OFFICE, NORTH_OFFICE)),
    PractitionerSpec("Daniel", "Okafor", "DO", "Internal medicine", (MAIN_OFFICE,)),
    PractitionerSpec("Rebecca", "Lindgren", "NP", "Pediatrics", (NORTH_OFFICE,)),
    PractitionerSpec("Samuel", "Ortega", "MD", "Geriatric medicine", (MAIN_OFFICE,)),
    PractitionerSpec("Priya", "Raman", "NP", "Women's health", (NORTH_OFFICE,)),
)
STAFF = (
    StaffSpec(StaffRole.CLINICIAN, "Maya", "Chen"),
    StaffSpec(StaffRole.NURSE, "Grace", "Whitaker"),
    StaffSpec(StaffRole.FRONT_DESK, "Luis", "Romero"),
    StaffSpec(StaffRole.BILLING, "Dana", "Kowalski"),
    StaffSpec(StaffRole.CLINIC_ADMIN, "Helen", "Ashford"),
)
# The clinician's sign-in belongs to this practitioner (the first in PRACTITIONERS).
CLINICIAN_PRACTITIONER = ("Maya", "Chen")


def load_demo_clinic(password: str, *, with_records: bool = True) -> list[DemoSignIn]:
    """Create or refresh the demo clinic and return the accounts that can sign in to it.

    Idempotent: everything is keyed on slugs, names, e-mail addresses and MRNs, so a second run
    creates nothing and only brings the demo back to its defined state (and sets `password` on
    every demo account). Runs in one transaction. Staff get no two-step verification: like real
    staff, they are made to set it up at their first sign-in.

    With `with_records`, each patient also gets a generated health record (years of visits,
    vitals, results, medications…), imported through the real FHIR importer.

    A caregiver and a parent can sign in too, to try proxy access (`carebridge.demo.proxies`).
    The clinic's weekly hours and kinds of visit are set up so that patients can book online
    (`carebridge.demo.scheduling`). The clinic has care teams to write to, and the first
    enrolled patient an answered conversation and a refill request (`carebridge.demo.messaging`).
    Clinicians releasing results can pick one of three quick comments (`carebridge.demo.comments`).

    Audit: the importer's one "import" event per patient, and the messaging services' events
    for that first conversation and request. The people are synthetic and no one acts on a real
    record; the next events are the demo users' own sign-ins and views. No e-mail is sent (see
    `no_emails`).
    """
    with no_emails(), transaction.atomic():
        clinic = upsert_clinic()
        locations = upsert_locations(clinic)
        practitioners = upsert_practitioners(clinic, locations)
        upsert_schedule(clinic, locations, practitioners)
        load_demo_quick_comments(clinic)
        staff = {spec.role: upsert_staff(clinic, spec, password) for spec in STAFF}
        link_clinician(practitioners, staff[StaffRole.CLINICIAN])
        patients = upsert_patients(clinic, password)
        proxies = load_demo_proxies(
            clinic,
            password,
            front_desk=staff[StaffRole.FRONT_DESK],
            specs=demo_specs(clinic),
            today=clinic_today(clinic),
        )
        load_demo_messaging(
            clinic,
            practitioners=practitioners,
            staff=staff,
            specs=demo_specs(clinic),
            now=timezone.now(),
        )
        if with_records:
            load_demo_records(clinic, demo_specs(clinic), practitioner_refs(), clinic_today(clinic))
            load_demo_billing(
                clinic,
                demo_billing_patients(clinic, [spec.mrn for spec in demo_specs(clinic)]),
                billing_user=staff[StaffRole.BILLING],
                front_desk_user=staff[StaffRole.FRONT_DESK],
                today=clinic_today(clinic),
            )
    return [*(staff_sign_in(spec) for spec in STAFF), *patients, *proxies]


@contextmanager
def no_emails() -> Iterator[None]:
    """While the demo loads, e-mails go to Django's dummy backend: nowhere.

    The messaging services queue "you have a new message" e-mails, sent when the transaction
    commits (so this must enclose it). The demo's people are synthetic; and in development the
    console backend would print those e-mails into `carebridge demo`'s output, `--json` too.
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def upsert_clinic() -> Clinic:
    clinic, _ = Clinic.objects.update_or_create(
        slug=CLINIC_SLUG,
        defaults={
            "name": "Riverside Family Clinic",
            "phone": "(518) 555-0100",
            "time_zone": CLINIC_TIME_ZONE,
        },
    )
    return clinic


def upsert_locations(clinic: Clinic) -> dict[str, Location]:
    locations = {}
    for spec in LOCATIONS:
        location, _ = Location.objects.update_or_create(
            clinic=clinic,
            name=spec.name,
            defaults={
                "address_line": spec.address_line,
                "city": spec.city,
                "state": spec.state,
                "postal_code": spec.postal_code,
                "phone": spec.phone,
            },
        )
        locations[spec.name] = location
    return locations


def upsert_practitioners(
    clinic: Clinic, locations: dict[str, Location]
) -> dict[tuple[str, str], Practitioner]:
    practitioners = {}
    for spec in PRACTITIONERS:
        practitioner, _ = Practitioner.objects.update_or_create(
            clinic=clinic,
            given_name=spec.given_name,
            family_name=spec.family_name,
            defaults={"credentials": spec.credentials, "specialty": spec.specialty},
        )
        practitioner.locations.set([locations[name] for name in spec.locations])
        practitioners[(spec.given_name, spec.family_name)] = practitioner
    return practitioners


def upsert_staff(clinic: Clinic, spec: StaffSpec, password: str) -> User:
    """A staff account in exactly one role group, as `make_staff` builds, but without MFA."""
    user = upsert_user(
        email=spec.email,
        given_name=spec.given_name,
        family_name=spec.family_name,
        password=password,
    )
    StaffMember.objects.update_or_create(
        user=user, defaults={"clinic": clinic, "role": spec.role, "is_active": True}
    )
    user.groups.set([Group.objects.get(name=str(spec.role))])
    return user


def link_clinician(practitioners: dict[tuple[str, str], Practitioner], clinician: User) -> None:
    practitioner = practitioners[CLINICIAN_PRACTITIONER]
    if practitioner.user_id != clinician.pk:
        practitioner.user = clinician
        practitioner.save(update_fields=["user"])


def staff_sign_in(spec: StaffSpec) -> DemoSignIn:
    name = f"{spec.given_name} {spec.family_name}"
    return DemoSignIn(role=spec.role.value, name=name, email=spec.email)


def clinic_today(clinic: Clinic) -> datetime.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(clinic.time_zone))


def demo_specs(clinic: Clinic) -> list[PatientSpec]:
    return generate_patients(PATIENT_COUNT, today=clinic_today(clinic))


def practitioner_refs() -> list[PractitionerRef]:
    return [
        PractitionerRef(spec.given_name, spec.family_name, spec.credentials)
        for spec in PRACTITIONERS
    ]


def upsert_patients(clinic: Clinic, password: str) -> list[DemoSignIn]:
    """The generated patients; those old enough get an enrolled account, the others none."""
    today = clinic_today(clinic)
    sign_ins = []
    for spec in demo_specs(clinic):
        if spec.age(today) >= OWN_ACCOUNT_FROM_AGE:
            sign_ins.append(upsert_enrolled_patient(clinic, spec, password))
        else:
            upsert_patient_record(clinic, spec)
    return sign_ins


def upsert_enrolled_patient(clinic: Clinic, spec: PatientSpec, password: str) -> DemoSignIn:
    user = upsert_user(
        email=spec.email,
        given_name=spec.given_name,
        family_name=spec.family_name,
        password=password,
    )
    upsert_patient_record(clinic, spec, user=user)
    return DemoSignIn(role=PATIENT_ROLE, name=spec.display_name, email=spec.email)


def upsert_patient_record(clinic: Clinic, spec: PatientSpec, user: User | None = None) -> Patient:
    fields = patient_fields(spec)
    # Without a demo account, `user` is left alone: whoever tried enrolment in the demo keeps
    # the account they made.
    if user is not None:
        fields["user"] = user
    patient, _ = Patient.objects.update_or_create(clinic=clinic, mrn=spec.mrn, defaults=fields)
    return patient


def patient_fields(spec: PatientSpec) -> dict[str, object]:
    return {
        "given_name": spec.given_name,
        "family_name": spec.family_name,
        "birth_date": spec.birth_date,
        "sex": spec.sex,
        "email": spec.email,
        "phone": spec.phone,
        "address_line": spec.address_line,
        "city": spec.city,
        "state": spec.state,
        "postal_code": spec.postal_code,
        "preferred_language": spec.preferred_language,
    }
