"""The generated health system for `bench/scale.py`: many patients, written in bulk.

One patient's 20-year record of 10,000 observations is imported through the real importer (the
template); every other patient's record is copied from it with PostgreSQL's COPY: a patient
with k observations gets k of the template's observations, evenly spread over its twenty
years (laboratory results and vital signs alike), and a sixth as many of its other resources
(visits, problems, medicines, reports, notes). Users, e-mail addresses, appointments,
conversations and audit events are bulk-created alongside.
"""

from __future__ import annotations

import datetime
import itertools
import random
import uuid
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone

from carebridge.accounts.models import User
from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import Clinic, Location, Practitioner, StaffMember, StaffRole
from carebridge.messaging.models import CareTeam, Message, Thread
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.scheduling.models import Appointment, VisitType, WeeklyHours
from carebridge.testing import factories

BATCH = 5_000
# Django's mark for "no password": the generated people never sign in with one (the bench
# signs them in directly).
NO_PASSWORD = "!"  # noqa: S105
TEAMS = 5
# JSON columns are read as text, so they are copied without being parsed and dumped again.
JSON_COLUMNS = {"resource", "components"}


@dataclass
class Staffing:
    """The clinic's people and set-up: clinicians, an office, a bookable check-up, care teams
    (the nurse answers the first), and the nurse, the front desk and a clinician who sign in."""

    location: Location
    practitioners: list[Practitioner]
    visit_type: VisitType
    teams: list[CareTeam]
    nurse: User
    front_desk: User
    clinician: User


@dataclass
class People:
    """The generated patients: ids, their users' ids, and each one's number of observations."""

    patient_ids: list[uuid.UUID] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    observations: list[int] = field(default_factory=list)


def observation_counts(patients: int, rng: random.Random) -> list[int]:
    """Most patients 20 to 200 observations, 3 in 100 500 to 2,000, and two with 10,000."""
    counts = [
        rng.randint(500, 2_000) if rng.random() < 0.03 else rng.randint(20, 200)
        for _ in range(patients)
    ]
    counts[:2] = [10_000, 10_000]
    return counts


def make_staffing(clinic: Clinic, patients: int) -> Staffing:
    location = factories.make_location(clinic, name="Scale Office")
    # One clinician for every 1,500 patients, as a primary-care panel.
    practitioners = [
        factories.make_practitioner(clinic, given_name="Doc", family_name=f"Number {n}")
        for n in range(max(4, patients // 1_500))
    ]
    for practitioner in practitioners:
        practitioner.locations.add(location)
    visit_type = VisitType.objects.create(
        clinic=clinic, name="Check-up", duration_minutes=30, online_booking="everyone"
    )
    visit_type.practitioners.set(practitioners[:1])
    visit_type.locations.set([location])
    for weekday in range(5):
        WeeklyHours.objects.create(
            practitioner=practitioners[0],
            location=location,
            weekday=weekday,
            starts_at=datetime.time(8),
            ends_at=datetime.time(17),
        )
    teams = [CareTeam.objects.create(clinic=clinic, name=f"Team {n}") for n in range(TEAMS)]
    nurse = factories.make_staff(clinic, StaffRole.NURSE, email="scale.nurse@example.test")
    teams[0].members.add(StaffMember.objects.get(user=nurse))
    front_desk = factories.make_staff(clinic, StaffRole.FRONT_DESK, email="scale.desk@example.test")
    clinician = factories.make_staff(clinic, StaffRole.CLINICIAN, email="scale.doc@example.test")
    return Staffing(location, practitioners, visit_type, teams, nurse, front_desk, clinician)


def find_staffing() -> Staffing:
    """The staffing `make_staffing` made, read back from the database."""
    clinic = Clinic.objects.get(slug="scale")
    users = {user.email: user for user in User.objects.filter(email__startswith="scale.")}
    return Staffing(
        location=Location.objects.get(clinic=clinic, name="Scale Office"),
        practitioners=list(Practitioner.objects.filter(clinic=clinic).order_by("pk")),
        visit_type=VisitType.objects.get(clinic=clinic, name="Check-up"),
        teams=list(CareTeam.objects.filter(clinic=clinic).order_by("pk")),
        nurse=users["scale.nurse@example.test"],
        front_desk=users["scale.desk@example.test"],
        clinician=users["scale.doc@example.test"],
    )


def batches(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def make_people(clinic: Clinic, counts: Sequence[int], rng: random.Random) -> People:
    """A user (unusable password), a verified e-mail address and a patient for each count."""
    people = People(observations=list(counts))
    for chunk in batches(range(len(counts))):
        users = User.objects.bulk_create(
            User(email=f"scale{n}@example.test", password=NO_PASSWORD, first_name=f"Pat{n}")
            for n in chunk
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        patients = Patient.objects.bulk_create(
            Patient(
                clinic=clinic,
                mrn=f"SCALE-{n}",
                given_name=f"Pat{n}",
                family_name=f"Family{n % 5_000}",
                birth_date=datetime.date(1940, 1, 1)
                + datetime.timedelta(days=rng.randint(0, 30_000)),
                sex=rng.choice(["female", "male"]),
                user=user,
            )
            for n, user in zip(chunk, users, strict=True)
        )
        people.user_ids += [user.pk for user in users]
        people.patient_ids += [patient.pk for patient in patients]
    return people


def _template_rows(
    patient: Patient,
) -> tuple[list[str], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The template's columns and rows (JSON as text): observations newest first, then the rest."""
    columns = [f.column for f in ClinicalResource._meta.concrete_fields if f.column != "id"]
    selected = ", ".join(f'"{c}"::text' if c in JSON_COLUMNS else f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected} FROM records_clinicalresource WHERE patient_id = %s "  # noqa: S608
            "ORDER BY effective_at DESC NULLS LAST, id",
            [patient.pk],
        )
        rows = cursor.fetchall()
    kind = columns.index("resource_type")
    observations = [row for row in rows if row[kind] == "Observation"]
    return columns, observations, [row for row in rows if row[kind] != "Observation"]


def _spread(rows: Sequence[tuple[Any, ...]], count: int) -> list[tuple[Any, ...]]:
    """`count` rows evenly spaced through `rows` (all of them if there are fewer)."""
    count = min(count, len(rows))
    if count <= 0:
        return []
    step = len(rows) / count
    return [rows[int(n * step)] for n in range(count)]


def copy_records(template: Patient, people: People) -> int:
    """Copy the template's resources to every generated patient with COPY; returns the rows."""
    columns, observations, others = _template_rows(template)
    at = {name: columns.index(name) for name in ("patient_id", "fhir_id", "api_id", "encounter_id")}
    sql = f"COPY records_clinicalresource ({', '.join(columns)}) FROM STDIN"
    # Django's foreign keys are checked at commit: millions of queued checks of rows this
    # function has just made. Replica mode (a superuser's, as on the bench) skips them.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        return _copy_rows(cursor, sql, people, (observations, others, at))


def _copy_rows(cursor: Any, sql: str, people: People, template: tuple[Any, Any, Any]) -> int:
    observations, others, at = template
    written = 0
    with cursor.cursor.copy(sql) as copy:
        for n, (patient_id, count) in enumerate(
            zip(people.patient_ids, people.observations, strict=True)
        ):
            chosen = _spread(observations, count) + _spread(others, max(3, count // 6))
            for row in chosen:
                values = list(row)
                values[at["patient_id"]] = patient_id
                values[at["fhir_id"]] = f"{row[at['fhir_id']][:50]}-{n}"
                values[at["api_id"]] = uuid.uuid4()
                if row[at["encounter_id"]]:
                    values[at["encounter_id"]] = f"{row[at['encounter_id']][:50]}-{n}"
                copy.write_row(values)
            written += len(chosen)
    return written


def make_appointments(staffing: Staffing, people: People, rng: random.Random) -> int:
    """Two attended visits in the last two years for each patient and, for a third of them, a
    booked one in the next 90 days (each at a free half hour of a clinician's weekday)."""
    zone = zoneinfo.ZoneInfo(staffing.visit_type.clinic.time_zone)
    today = timezone.localdate(timezone=zone)
    free = [
        (practitioner, today + datetime.timedelta(days=day), half_hour)
        for practitioner in staffing.practitioners
        for day in range(90)
        if (today + datetime.timedelta(days=day)).weekday() < 5
        for half_hour in range(18)
    ]
    rng.shuffle(free)

    def visit(
        patient_id: uuid.UUID, who: Practitioner, day: datetime.date, slot: int, status: str
    ) -> Appointment:
        start = datetime.datetime.combine(day, datetime.time(8), tzinfo=zone)
        start += datetime.timedelta(minutes=30 * slot)
        return Appointment(
            patient_id=patient_id,
            practitioner=who,
            location=staffing.location,
            visit_type=staffing.visit_type,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=30),
            status=status,
            booked_as="staff",
        )

    def for_patient(n: int, patient_id: uuid.UUID) -> Iterator[Appointment]:
        for _ in range(2):
            day = today - datetime.timedelta(days=rng.randint(1, 730))
            yield visit(
                patient_id, rng.choice(staffing.practitioners), day, rng.randrange(18), "completed"
            )
        if n % 3 == 0 and free:
            yield visit(patient_id, *free.pop(), "booked")

    made = 0
    rows = (a for n, pid in enumerate(people.patient_ids) for a in for_patient(n, pid))
    for chunk in batches(rows):
        made += len(Appointment.objects.bulk_create(chunk))
    return made


QUESTION = "Hello, is it fine to take my new tablets in the evening instead of the morning?"
ANSWER = "Yes, you can take them in the evening, at about the same time each day."


def _hours_before(moment: datetime.datetime | None, hours: int) -> datetime.datetime:
    assert moment is not None
    return moment - datetime.timedelta(hours=hours)


def make_conversations(staffing: Staffing, people: People, rng: random.Random) -> tuple[int, int]:
    """For three patients in five, one or two conversations with a team (seven in ten closed),
    of two to four messages each; returns the numbers of threads and messages."""
    now = timezone.now()
    threads = messages = 0
    pairs = list(zip(people.patient_ids, people.user_ids, strict=True))
    for chunk in batches(pairs, 2_000):
        made: list[Thread] = []
        for patient_id, user_id in chunk:
            if rng.random() >= 0.6:
                continue
            for _ in range(rng.randint(1, 2)):
                made.append(
                    Thread(
                        patient_id=patient_id,
                        team=rng.choice(staffing.teams),
                        topic="clinical",
                        subject="A question about my medicines",
                        status="closed" if rng.random() < 0.7 else "new",
                        created_by_id=user_id,
                        created_as="self",
                        last_message_at=now - datetime.timedelta(hours=rng.randint(1, 17_000)),
                    )
                )
        Thread.objects.bulk_create(made)
        notes = [
            Message(
                thread=thread,
                author_id=thread.created_by_id if k % 2 == 0 else staffing.nurse.pk,
                author_as="self" if k % 2 == 0 else "staff",
                body=QUESTION if k % 2 == 0 else ANSWER,
                sent_at=_hours_before(thread.last_message_at, count - k),
            )
            for thread in made
            for count in [rng.randint(2, 4)]
            for k in range(count)
        ]
        Message.objects.bulk_create(notes, batch_size=BATCH)
        threads, messages = threads + len(made), messages + len(notes)
    return threads, messages


def make_audit_trail(people: People, rng: random.Random, per_patient: int = 20) -> int:
    """Each patient's own page views over two years (sealing is not part of the measure)."""
    now = timezone.now()
    made = 0
    pairs = zip(people.patient_ids, people.user_ids, strict=True)
    rows = (
        AuditEvent(
            occurred_at=now - datetime.timedelta(minutes=rng.randint(1, 1_000_000)),
            actor_id=user_id,
            actor_label="Patient",
            patient_id=patient_id,
            acting_as="self",
            action="view",
            object_type="page",
            object_id="records:results",
        )
        for patient_id, user_id in pairs
        for _ in range(per_patient)
    )
    for chunk in batches(rows):
        made += len(AuditEvent.objects.bulk_create(chunk))
    return made
