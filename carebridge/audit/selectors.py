"""Reads of the audit trail: a patient's own activity, a clinic's report, and the whole chain.

Each selector applies its privacy rule itself, so a view cannot forget it: a patient sees only
events about their own record, and a clinic administrator sees only their own clinic's events.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, Count, F, Min, Q, Value, When

from carebridge.audit.models import AppendOnlyQuerySet, AuditChainHead, AuditEvent, AuditSeal
from carebridge.clinic.models import Clinic, StaffMember
from carebridge.patients.models import Patient

# Rows fetched per round trip when walking or exporting the whole trail.
CHUNK_SIZE = 2000


def clinic_time_zone(clinic: Clinic) -> ZoneInfo:
    """The clinic's own time zone: dates people type and times they read are in it."""
    return ZoneInfo(clinic.time_zone)


def _between_days(
    events: AppendOnlyQuerySet,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    tz: ZoneInfo,
) -> AppendOnlyQuerySet:
    """Keep events from the start of `date_from` to the end of `date_to`, both in `tz`."""
    if date_from is not None:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        events = events.filter(occurred_at__gte=start)
    if date_to is not None:
        next_day = date_to + datetime.timedelta(days=1)
        end = datetime.datetime.combine(next_day, datetime.time.min, tzinfo=tz)
        events = events.filter(occurred_at__lt=end)
    return events


def list_patient_events(
    patient: Patient,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> AppendOnlyQuerySet:
    """Events about this patient's record, newest first, for the patient's own activity page.

    Privacy rule: only events whose patient is `patient`; the caller passes the viewer's own
    patient record (from the acting context), never an id from the request. Dates are days in
    the patient's clinic's time zone. One query per page: the actor's name is a snapshot.
    """
    events = AuditEvent.objects.for_patient(patient.pk).order_by("-occurred_at", "-sequence")
    return _between_days(events, date_from, date_to, clinic_time_zone(patient.clinic))


# How someone other than the patient acted on the record: clinic staff, a caregiver or parent,
# an app the patient connected, someone the patient sent a summary to, or someone holding a
# link meant for another. Everything else (the patient, the portal itself) is the patient's own.
OTHERS_ACTING_AS = ("staff", "proxy", "app", "recipient", "link_holder")
# Person filter values: "person-<user id>" for people, "app-<connection id>[.<id>…]" for an
# app (each of its connections).
PERSON_PREFIX = "person-"
APP_PREFIX = "app-"
# At most this many people and apps are offered in the person filter.
PEOPLE_MOST = 100


def list_others_events(
    patient: Patient,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    person: str = "",
) -> AppendOnlyQuerySet:
    """What others did with this patient's record (`OTHERS_ACTING_AS`), newest first, for the
    "Who has looked at your record" list; `person` (a value from `list_people_who_looked`)
    keeps one person or app. Same privacy rule as `list_patient_events`."""
    events = list_patient_events(patient, date_from, date_to).filter(acting_as__in=OTHERS_ACTING_AS)
    if person.startswith(PERSON_PREFIX) and person[len(PERSON_PREFIX) :].isdigit():
        events = events.filter(actor_id=int(person[len(PERSON_PREFIX) :])).exclude(acting_as="app")
    elif person.startswith(APP_PREFIX):
        connections = person[len(APP_PREFIX) :].split(".")[:PEOPLE_MOST]
        events = events.filter(acting_as="app", object_id__in=connections)
    return events


def list_own_events(
    patient: Patient,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> AppendOnlyQuerySet:
    """The patient's own activity (and the portal's, on their behalf), newest first."""
    events = list_patient_events(patient, date_from, date_to)
    return events.exclude(acting_as__in=OTHERS_ACTING_AS)


def list_people_who_looked(patient: Patient) -> list[tuple[str, str, str]]:
    """Who appears among others' events on this record, for the person filter: (value, name,
    acting_as) for each person (their latest recorded name) and each connected app (its
    connection id as the name; the caller names it), at most `PEOPLE_MOST` (two queries)."""
    others = AuditEvent.objects.for_patient(patient.pk).filter(acting_as__in=OTHERS_ACTING_AS)
    people = (
        others.exclude(acting_as="app")
        .filter(actor__isnull=False)
        .values_list("actor_id", "actor_label", "acting_as")
        .order_by()
        .distinct()[: PEOPLE_MOST * 4]
    )
    chosen: dict[str, tuple[str, str, str]] = {}
    for actor_id, label, acting_as in people:
        value = f"{PERSON_PREFIX}{actor_id}"
        chosen.setdefault(value, (value, label, acting_as))
    apps = others.filter(acting_as="app").values_list("object_id", flat=True).order_by()
    for object_id in apps.distinct()[:PEOPLE_MOST]:
        value = f"{APP_PREFIX}{object_id}"
        chosen.setdefault(value, (value, object_id, "app"))
    return list(chosen.values())[:PEOPLE_MOST]


def get_staff_roles(user_ids: Iterable[int]) -> dict[int, str]:
    """Each of these users' role at their clinic (a `StaffRole` value), for those who are
    staff (one query)."""
    members = StaffMember.objects.filter(user_id__in=set(user_ids)).order_by("pk")
    return dict(members.values_list("user_id", "role"))


def _clinic_scope(clinic: Clinic) -> Q:
    """Events about the clinic's patients, and events by the clinic's staff."""
    patients = Patient.objects.filter(clinic=clinic).values("pk")
    staff_users = StaffMember.objects.filter(clinic=clinic).values("user_id")
    return Q(patient__in=patients) | Q(actor__in=staff_users)


def list_events_for_report(
    clinic: Clinic,
    *,
    patient_mrn: str = "",
    user_email: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> AppendOnlyQuerySet:
    """A clinic's audit events for its administrators, newest first, optionally filtered.

    Privacy rule: only events about this clinic's patients or by this clinic's staff; a patient
    MRN matches only this clinic's patients. An event by this clinic's staff about another
    clinic's patient (a probe of their id) is listed like a probe of an unknown id: its
    `report_patient_mrn` is empty and that patient is never loaded. Dates are days in the
    clinic's time zone.
    """
    events = AuditEvent.objects.filter(_clinic_scope(clinic))
    if patient_mrn:
        events = events.filter(patient__clinic=clinic, patient__mrn__iexact=patient_mrn)
    if user_email:
        events = events.filter(actor__email__iexact=user_email)
    events = _between_days(events, date_from, date_to, clinic_time_zone(clinic))
    own_mrn = Case(
        When(patient__clinic=clinic, then=F("patient__mrn")),
        default=Value(""),
        output_field=CharField(),
    )
    return events.select_related("actor").annotate(report_patient_mrn=own_mrn).order_by("-sequence")


def get_clinic_patient(clinic: Clinic, mrn: str) -> Patient | None:
    """The clinic's patient with this MRN, or None; never another clinic's patient."""
    if not mrn:
        return None
    return Patient.objects.filter(clinic=clinic, mrn__iexact=mrn).first()


def iter_chain() -> Iterator[AuditSeal]:
    """Every seal with its event, in position order, streamed in chunks, to check the chain."""
    seals = AuditSeal.objects.select_related("event").order_by("position")
    return seals.iterator(chunk_size=CHUNK_SIZE)


def get_chain_head() -> AuditChainHead | None:
    """The row that records the newest seal's position and chain hash."""
    return AuditChainHead.objects.filter(pk=1).first()


def get_unsealed_summary() -> tuple[int, datetime.datetime | None]:
    """How many events have no seal, and when the oldest of them was recorded.

    Found from the seals themselves, not from the sealer's queue, which a database writer
    could empty to keep an event out of the chain.
    """
    unsealed = AuditEvent.objects.filter(seal__isnull=True).order_by()
    summary = unsealed.aggregate(count=Count("pk"), oldest=Min("occurred_at"))
    return summary["count"], summary["oldest"]
