"""The bench's patients: each in a clinic of its own, alike in all but the size of the record.

Every clinic holds one patient with a generated twenty-year record of `observations`
Observations (10,000 for the big one, 10 for the small one), a clinician with 200 booked times,
300 conversations with a care team (the newest 100 messages long) and the nurse who answers
them, and two years of bills. So a page's cost for the big patient over its cost for the small
one is what the size of the record adds, and the staff pages of each clinic compare alike too.
Each setup step is a script run by `carebridge shell`, given its names in a prelude.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.environment import manage
from bench.signin import PASSWORD

# The nurses' authenticator secret (base32, as allauth stores it): staff must use MFA.
TOTP_SECRET = "MNQXEZLCOJUWIZ3FFVRGK3TDNAWW2ZTB"  # noqa: S105
THREADS = 300
LONG_THREAD = 100

WRITE_RECORD = """
import datetime, json
from carebridge.clinic.models import Clinic
from carebridge.demo.clinical import generate_large_record
from carebridge.records.identifiers import mrn_system
clinic, _ = Clinic.objects.get_or_create(slug=CLINIC, defaults={"name": CLINIC_NAME})
bundle = generate_large_record(
    mrn_system=mrn_system(clinic), today=datetime.date.today(), observations=OBSERVATIONS
)
with open(PATH, "w") as out:
    json.dump(bundle, out)
"""
# The patient's sign-in, past her first visit (the welcome checklist dismissed: sign-in lands on
# the home page, which no longer offers it), and, with CAREGIVER_EMAIL, a caregiver's with every
# scope. Prints the newest result of the test with the most results (a laboratory test; for a
# record without laboratory results, any observation), its code and count, the record's size
# and the patient.
ATTACH_USER = """
import datetime
from allauth.account.models import EmailAddress
from django.db.models import Count
from carebridge.accounts.checklist_services import dismiss_checklist
from carebridge.accounts.models import User
from carebridge.patients.models import Patient
from carebridge.proxies.models import ProxyGrant, ProxyScope
from carebridge.records.models import ClinicalResource
patient = Patient.objects.get(clinic__slug=CLINIC)
user = User.objects.create_user(email=EMAIL, password=PASSWORD, first_name="Bench")
EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
patient.user = user
patient.save()
dismiss_checklist(user=user)
if CAREGIVER_EMAIL:
    carer = User.objects.create_user(email=CAREGIVER_EMAIL, password=PASSWORD, first_name="Carer")
    EmailAddress.objects.create(user=carer, email=CAREGIVER_EMAIL, verified=True, primary=True)
    ProxyGrant.objects.create(
        patient=patient, proxy=carer, granted_by=user, relationship="caregiver",
        scopes=sorted(ProxyScope.values), status="active",
        starts_on=datetime.date.today() - datetime.timedelta(days=1),
    )
observations = ClinicalResource.objects.filter(patient=patient, resource_type="Observation")
laboratory = observations.filter(category="laboratory")
top = (
    (laboratory if laboratory.exists() else observations)
    .values("code").annotate(n=Count("id")).order_by("-n", "code").first()
)
newest = observations.filter(code=top["code"]).order_by("-effective_at", "-id").first()
print(newest.pk, top["code"], top["n"], observations.count(), patient.pk)
"""
# A clinician working weekdays 8:00 to 17:00 with 200 of the next 90 days' times already booked:
# the booking times page computes free times around them. Prints the visit type and the first
# day with booked times (the staff schedule's day).
SCHEDULE = """
import datetime, zoneinfo
from django.utils import timezone
from carebridge.clinic.models import Location, Practitioner
from carebridge.patients.models import Patient
from carebridge.scheduling.models import Appointment, VisitType, WeeklyHours
patient = Patient.objects.get(clinic__slug=CLINIC)
clinic = patient.clinic
place = Location.objects.create(
    clinic=clinic, name="Bench Office", address_line="1 Main St", city="Town", state="NY",
    postal_code="12000",
)
doctor = Practitioner.objects.create(clinic=clinic, given_name="Bea", family_name="Bench")
doctor.locations.add(place)
visit = VisitType.objects.create(clinic=clinic, name="Check-up", online_booking="everyone")
visit.practitioners.add(doctor)
visit.locations.add(place)
for weekday in range(5):
    WeeklyHours.objects.create(
        practitioner=doctor, location=place, weekday=weekday,
        starts_at=datetime.time(8), ends_at=datetime.time(17),
    )
zone = zoneinfo.ZoneInfo(clinic.time_zone)
day = timezone.localdate(timezone=zone) + datetime.timedelta(days=1)
booked = []
while len(booked) < 200:
    if day.weekday() < 5:
        for hour in (9, 11, 14, 16):
            start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
            Appointment.objects.create(
                patient=patient, practitioner=doctor, location=place, visit_type=visit,
                starts_at=start, ends_at=start + visit.duration, booked_as="staff",
            )
            booked.append(day)
    day += datetime.timedelta(days=1)
print(visit.pk, booked[0].isoformat())
"""
# Two years of bills: 24 monthly statements of 20 charges each, every one but the last paid at
# the desk, so the billing pages have 480 charges and 23 payments behind them.
BILLS = """
import datetime
from carebridge.billing.models import Method
from carebridge.billing.services.charges import issue_statement, post_manual_charge
from carebridge.billing.services.desk import take_desk_payment
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient
patient = Patient.objects.get(clinic__slug=CLINIC)
today = datetime.date.today()
statement = None
for month in range(24):
    day = today - datetime.timedelta(days=30 * (24 - month))
    for line in range(20):
        post_manual_charge(
            actor=Actor.system(), patient=patient, service_date=day,
            description=f"Service {line}", amount_cents=1000 + line,
        )
    statement = issue_statement(actor=Actor.system(), patient=patient, due_days=30)
    if month < 23:
        take_desk_payment(
            actor=Actor.system(), patient=patient, amount_cents=statement.amount_cents,
            method=Method.CASH, reference="", idempotency_key=f"bench-{CLINIC}-{month}",
        )
print(statement.pk)
"""
# The patient's conversations with one care team, bulk-created: THREADS threads of two messages
# (the patient's, then the nurse's answer), the newest of them LONG_THREAD messages long. The
# patient has read every other thread; the nurse, every fourth, and has a third assigned to her.
MESSAGES = """
import datetime
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone
from carebridge.accounts.models import User
from carebridge.clinic.models import StaffMember, StaffRole
from carebridge.messaging.models import CareTeam, Message, Thread, ThreadRead, ThreadStatus
from carebridge.patients.models import Patient
patient = Patient.objects.select_related("user").get(clinic__slug=CLINIC)
nurse = User.objects.create_user(
    email=STAFF_EMAIL, password=PASSWORD, first_name="Nina", last_name="Nurse"
)
EmailAddress.objects.create(user=nurse, email=STAFF_EMAIL, verified=True, primary=True)
member = StaffMember.objects.create(user=nurse, clinic=patient.clinic, role=StaffRole.NURSE)
nurse.groups.add(Group.objects.get(name=str(StaffRole.NURSE)))
TOTP.activate(nurse, TOTP_SECRET)
team = CareTeam.objects.create(clinic=patient.clinic, name="Bench team")
team.members.add(member)
now = timezone.now()
statuses = [ThreadStatus.NEW, ThreadStatus.IN_PROGRESS, ThreadStatus.WAITING_ON_PATIENT]
threads = Thread.objects.bulk_create(
    Thread(
        patient=patient, team=team, topic="clinical", subject=f"Question {n} about my medicines",
        status=statuses[n % 3], assigned_to=nurse if n % 3 == 1 else None,
        created_by=patient.user, created_as="self",
        last_message_at=now - datetime.timedelta(hours=n + 1),
    )
    for n in range(THREADS)
)
QUESTION = (
    "Hello, I have been taking the new tablets every morning with breakfast for two weeks. "
    "Is it fine to take them in the evening instead? They make me a little sleepy at work."
)
ANSWER = (
    "Thank you for your message. Yes, you can take them in the evening instead, at about the "
    "same time each day. If the sleepiness does not get better in a week, let us know."
)
def message(thread, k, count):
    by_staff = k % 2 == 1
    return Message(
        thread=thread, author=nurse if by_staff else patient.user,
        author_as="staff" if by_staff else "self", body=ANSWER if by_staff else QUESTION,
        sent_at=thread.last_message_at - datetime.timedelta(minutes=30 * (count - 1 - k)),
    )
counts = [LONG_THREAD] + [2] * (THREADS - 1)
Message.objects.bulk_create(
    message(thread, k, count) for thread, count in zip(threads, counts) for k in range(count)
)
ThreadRead.objects.bulk_create(
    [ThreadRead(thread=t, user=patient.user, read_at=t.last_message_at) for t in threads[::2]]
    + [ThreadRead(thread=t, user=nurse, read_at=t.last_message_at) for t in threads[::4]]
)
print(threads[0].pk, Message.objects.filter(thread=threads[0]).count())
"""
# An app the patient connected with every scope, and one hour's token for it; prints the token,
# the patient's API id and the id of the newest laboratory result.
CONNECT_APP = """
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.testing.fhir import connect_app, issue_token
patient = Patient.objects.get(clinic__slug=CLINIC)
token = issue_token(connect_app(user=patient.user, patient=patient))
newest = (
    ClinicalResource.objects.filter(
        patient=patient, category="laboratory", resource_type="Observation"
    ).order_by("-effective_at").values_list("api_id", flat=True).first()
)
print(token, patient.pk, newest)
"""


@dataclass(frozen=True)
class Household:
    """One clinic of the bench: its slug, the size of its patient's record, and sign-ins."""

    clinic: str
    observations: int
    email: str
    staff_email: str
    caregiver_email: str = ""


@dataclass(frozen=True)
class Prepared:
    """The ids the pages of one household are loaded with."""

    patient_id: str
    result_id: str
    result_code: str
    observations: int
    visit_type_id: str
    schedule_day: str
    thread_id: str
    statement_id: str


def run_script(env: dict[str, str], script: str, **names: object) -> list[str]:
    """Run a setup script in `carebridge shell` with `names` defined; return its printed words."""
    prelude = "".join(f"{name} = {value!r}\n" for name, value in names.items())
    return manage(env, "shell", "-v", "0", "-c", prelude + script).split()


def prepare_household(env: dict[str, str], workdir: Path, house: Household) -> Prepared:
    """Create the clinic with its patient's record, sign-ins, schedule, conversations and bills."""
    record = workdir / f"record-{house.clinic}.json"
    names = {"CLINIC": house.clinic, "PASSWORD": PASSWORD}
    run_script(
        env,
        WRITE_RECORD,
        PATH=str(record),
        CLINIC_NAME=f"Clinic {house.clinic}",
        OBSERVATIONS=house.observations,
        **names,
    )
    manage(env, "import-fhir", str(record), "--clinic", house.clinic, "--json", "--no-progress")
    result_id, code, count, total, patient_id = run_script(
        env, ATTACH_USER, EMAIL=house.email, CAREGIVER_EMAIL=house.caregiver_email, **names
    )
    print(f"{house.clinic}: {total} observations; result and trend pages for {code} ({count})")
    visit_type_id, schedule_day = run_script(env, SCHEDULE, **names)
    thread_id, length = run_script(
        env,
        MESSAGES,
        STAFF_EMAIL=house.staff_email,
        TOTP_SECRET=TOTP_SECRET,
        THREADS=THREADS,
        LONG_THREAD=LONG_THREAD,
        **names,
    )
    print(f"{house.clinic}: {THREADS} conversations, the long one {length} messages")
    (statement_id,) = run_script(env, BILLS, **names)
    return Prepared(
        patient_id=patient_id,
        result_id=result_id,
        result_code=code,
        observations=int(total),
        visit_type_id=visit_type_id,
        schedule_day=schedule_day,
        thread_id=thread_id,
        statement_id=statement_id,
    )


def connect_app(env: dict[str, str], house: Household) -> tuple[str, str, str]:
    """An app the household's patient connected: its token, the patient's id, a result's id."""
    token, api_patient, newest_lab = run_script(env, CONNECT_APP, CLINIC=house.clinic)
    return token, api_patient, newest_lab
