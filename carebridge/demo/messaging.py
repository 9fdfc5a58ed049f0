"""The demo clinic's care teams, and a first conversation and refill request to find in them.

Without care teams a demo patient has nobody to write to. The teams are keyed on the clinic and
their name; a rerun puts back their description, topics, clinicians and staff.

The conversation (the first enrolled patient's question, assigned to and answered by the
clinician) and the refill request go through the real messaging services, so they are audited
and validated like any other, and the read marks are those the pages would leave: the clinician
has read the thread, the patient not yet the answer. They are made only while that patient has
no thread (no refill request), so a rerun, or what someone tried in the demo, adds nothing. The
services queue "something new" e-mails; `load_demo_clinic` sends none (the people are
synthetic).
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic, Practitioner, StaffMember, StaffRole
from carebridge.demo.accounts import OWN_ACCOUNT_FROM_AGE
from carebridge.demo.generator import PatientSpec
from carebridge.demo.proxies import demo_patient
from carebridge.messaging.care_requests import submit_request
from carebridge.messaging.models import (
    CareRequest,
    CareTeam,
    RequestKind,
    Thread,
    Topic,
    WrittenAs,
)
from carebridge.messaging.services import mark_read, reply, start_thread
from carebridge.messaging.triage import assign
from carebridge.patients.models import Patient

PractitionerKey = tuple[str, str]


@dataclass(frozen=True)
class TeamSpec:
    """A care team: `topics` are those it answers (empty: every topic); the family doctors answer
    "Something else", so they are the default team for topics no team lists."""

    name: str
    description: str
    topics: tuple[Topic, ...]
    practitioners: tuple[PractitionerKey, ...]
    members: tuple[StaffRole, ...]


FAMILY_MEDICINE = "Family medicine"
MAYA_CHEN = ("Maya", "Chen")
TEAMS = (
    TeamSpec(
        FAMILY_MEDICINE,
        "Questions for your family doctor about your health, medicines or test results.",
        (Topic.RESULT, Topic.MEDICINES, Topic.OTHER),
        (MAYA_CHEN, ("Samuel", "Ortega")),
        (StaffRole.CLINICIAN, StaffRole.NURSE),
    ),
    TeamSpec(
        "Pediatrics",
        "Questions about a child's or teenager's health, growth, medicines or vaccines.",
        (Topic.RESULT, Topic.MEDICINES, Topic.OTHER),
        (("Rebecca", "Lindgren"),),
        (StaffRole.NURSE,),
    ),
    TeamSpec(
        "Internal medicine",
        "Questions about long-term conditions, medicines or test results.",
        (Topic.RESULT, Topic.MEDICINES, Topic.OTHER),
        (("Daniel", "Okafor"),),
        (StaffRole.CLINICIAN, StaffRole.NURSE),
    ),
    TeamSpec(
        "Front desk and billing",
        "Appointments, bills and insurance, copies of your records, and help with the portal.",
        (Topic.APPOINTMENTS, Topic.BILLING, Topic.FORMS),
        (),
        (StaffRole.FRONT_DESK, StaffRole.BILLING, StaffRole.CLINIC_ADMIN),
    ),
)

SUBJECT = "When should I use my inhaler?"
QUESTION = (
    "Hello Dr. Chen,\n\n"
    "Should I use my fluticasone inhaler in the morning or at night? And do I still need it on "
    "days when my breathing feels fine?\n\n"
    "Thank you,\n{given_name}"
)
ANSWER = (
    "Hi {given_name},\n\n"
    "Use the fluticasone inhaler every day, in the morning and in the evening, even when your "
    "breathing feels fine: it calms your airways slowly and prevents flare-ups, so it works "
    "only if you use it regularly. Rinse your mouth with water after each use.\n\n"
    "Keep your albuterol inhaler with you for when you feel short of breath or wheezy. If you "
    "need it more than twice a week, please let us know.\n\n"
    "Dr. Chen"
)
# The question was asked this many days before the first load, and answered the same day
# (clinic time).
ASKED_DAYS_AGO = 2
ASKED_AT = datetime.time(8, 40)
ANSWERED_AT = datetime.time(13, 15)
# One of the first enrolled patient's long-term medicines in the generated record.
REFILL = {
    "medicines": ["Fluticasone inhaler (44 mcg per puff)"],
    "pharmacy": "Riverside Community Pharmacy, 12 Canal Street, Riverside",
    "note": "I have about a week left.",
}


def load_demo_messaging(
    clinic: Clinic,
    *,
    practitioners: dict[PractitionerKey, Practitioner],
    staff: dict[StaffRole, User],
    specs: list[PatientSpec],
    now: datetime.datetime,
) -> None:
    """Create or refresh the care teams; give the first enrolled patient one answered
    conversation and one refill request if they have none.

    Call inside `load_demo_clinic`'s transaction, after the staff and the patients. Audit: the
    messaging services' own events (the thread started, assigned and answered; the request).
    """
    members = {
        member.role: member
        for member in StaffMember.objects.filter(clinic=clinic, user__in=staff.values())
    }
    teams = {spec.name: upsert_team(clinic, spec, practitioners, members) for spec in TEAMS}
    patient = demo_patient(clinic, first_enrolled(specs, now, clinic))
    if not Thread.objects.filter(patient=patient).exists():
        add_conversation(
            patient,
            team=teams[FAMILY_MEDICINE],
            practitioner=practitioners[MAYA_CHEN],
            clinician=staff[StaffRole.CLINICIAN],
            now=now,
        )
    if not CareRequest.objects.filter(patient=patient, kind=RequestKind.REFILL).exists():
        submit_request(
            actor=portal_user(patient),
            acting_as=WrittenAs.SELF,
            patient=patient,
            kind=RequestKind.REFILL,
            details=REFILL,
        )


def upsert_team(
    clinic: Clinic,
    spec: TeamSpec,
    practitioners: dict[PractitionerKey, Practitioner],
    members: dict[str, StaffMember],
) -> CareTeam:
    team, _ = CareTeam.objects.update_or_create(
        clinic=clinic,
        name=spec.name,
        defaults={
            "description": spec.description,
            "topics": [topic.value for topic in spec.topics],
            "is_active": True,
        },
    )
    team.practitioners.set([practitioners[key] for key in spec.practitioners])
    team.members.set([members[role] for role in spec.members])
    return team


def first_enrolled(specs: list[PatientSpec], now: datetime.datetime, clinic: Clinic) -> PatientSpec:
    """The first patient of the demo's sign-in list (MRN order), the one most people try."""
    today = clinic_day(now, clinic)
    return next(spec for spec in specs if spec.age(today) >= OWN_ACCOUNT_FROM_AGE)


def clinic_day(now: datetime.datetime, clinic: Clinic) -> datetime.date:
    return now.astimezone(zoneinfo.ZoneInfo(clinic.time_zone)).date()


def at_clinic_time(clinic: Clinic, day: datetime.date, moment: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, moment, tzinfo=zoneinfo.ZoneInfo(clinic.time_zone))


def portal_user(patient: Patient) -> User:
    if patient.user is None:
        raise RuntimeError(f"Demo patient {patient.mrn} should have a portal account.")
    return patient.user


def add_conversation(
    patient: Patient,
    *,
    team: CareTeam,
    practitioner: Practitioner,
    clinician: User,
    now: datetime.datetime,
) -> Thread:
    """The patient asks the clinician (and reads their own message); the clinician takes the
    thread, answers and has read it: the patient has an unread answer."""
    user = portal_user(patient)
    day = clinic_day(now, patient.clinic) - datetime.timedelta(days=ASKED_DAYS_AGO)
    asked_at = at_clinic_time(patient.clinic, day, ASKED_AT)
    answered_at = at_clinic_time(patient.clinic, day, ANSWERED_AT)
    thread = start_thread(
        actor=user,
        acting_as=WrittenAs.SELF,
        patient=patient,
        team=team,
        practitioner=practitioner,
        topic=Topic.MEDICINES,
        subject=SUBJECT,
        body=QUESTION.format(given_name=patient.given_name),
        now=asked_at,
    )
    mark_read(user=user, thread=thread, now=asked_at)
    thread = assign(actor=clinician, thread=thread, assignee=clinician)
    reply(
        actor=clinician,
        acting_as=WrittenAs.STAFF,
        thread=thread,
        body=ANSWER.format(given_name=patient.given_name),
        now=answered_at,
    )
    mark_read(user=clinician, thread=thread, now=answered_at)
    return thread
