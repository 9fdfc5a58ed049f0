"""The patient's appointments as FHIR Appointment resources: the last few visits as the
appointments they were booked as (attended), one the patient cancelled a week before their last
visit, and two booked for the weeks ahead.

Every date and time follows from the visits and from today, with no random draw, so adding the
appointments leaves the rest of a generated record as it was, and the same arguments still give
the same bundle. The two upcoming appointments are the only things in a record dated after
today. The place is the clinic, named in the reference (the demo has no Location resources).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import SNOMED, Json, at, concept
from carebridge.demo.clinical.encounters import PRIMARY_PERFORMER, VISIT_TYPES
from carebridge.demo.clinical.profile import DAY
from carebridge.demo.clinical.visits import Visit, VisitKind

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart, Clinician

APPOINTMENT_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0276"
CANCELLATION_REASON = "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason"
# HL7 v2 table 0276 (appointment reason codes), by kind of visit.
APPOINTMENT_TYPES = {
    VisitKind.CHECKUP: ("CHECKUP", "A routine check-up, such as an annual physical"),
    VisitKind.WELL_CHILD: ("CHECKUP", "A routine check-up, such as an annual physical"),
    VisitKind.FOLLOW_UP: ("FOLLOWUP", "A follow up visit from a previous appointment"),
    VisitKind.NEW_PROBLEM: ("ROUTINE", "Routine appointment - default if not valued"),
    VisitKind.SICK: ("ROUTINE", "Routine appointment - default if not valued"),
}
# The last visits that come with the appointment they were booked as.
BOOKED_VISITS = 3
# How far ahead the two upcoming appointments are (moved to the next weekday).
FOLLOW_UP_IN_DAYS = 9
CHECK_UP_IN_DAYS = 40
# The cancelled appointment was this many days before the last visit, which replaced it.
CANCELLED_BEFORE_LAST_VISIT = 7


def weekday_from(day: datetime.date, step: int) -> datetime.date:
    """`day`, or the nearest weekday after (`step` 1) or before (`step` -1) it."""
    while day.weekday() >= 5:
        day += step * DAY
    return day


def appointment_body(
    chart: Chart,
    *,
    kind: VisitKind,
    status: str,
    day: datetime.date,
    minute: int,
    clinician: Clinician,
) -> Json:
    code, display, text, minutes = VISIT_TYPES[kind]
    place = {"type": "Location", "display": chart.clinic_name}
    return {
        "status": status,
        "serviceType": [concept(SNOMED, code, display, text)],
        "appointmentType": concept(APPOINTMENT_TYPE, *APPOINTMENT_TYPES[kind]),
        "start": at(day, minute),
        "end": at(day, minute + minutes),
        "minutesDuration": minutes,
        "participant": [
            {"actor": chart.subject(), "required": "required", "status": "accepted"},
            {
                "type": [{"coding": [PRIMARY_PERFORMER]}],
                "actor": clinician.reference(),
                "required": "required",
                "status": "accepted",
            },
            {"actor": place, "required": "required", "status": "accepted"},
        ],
    }


def add_attended(chart: Chart, visits: list[Visit]) -> None:
    """The last visits' appointments, at the visit's time, with the visit's clinician."""
    for visit in visits[-BOOKED_VISITS:]:
        body = appointment_body(
            chart,
            kind=visit.kind,
            status="fulfilled",
            day=visit.day,
            minute=visit.minute,
            clinician=chart.clinicians[visit.clinician],
        )
        chart.builder.add("Appointment", visit.key, body)


def add_cancelled(chart: Chart, last: Visit) -> None:
    """The appointment the patient cancelled, a week before the visit that replaced it."""
    day = weekday_from(last.day - CANCELLED_BEFORE_LAST_VISIT * DAY, -1)
    body = appointment_body(
        chart,
        kind=last.kind,
        status="cancelled",
        day=day,
        minute=last.minute,
        clinician=chart.clinicians[last.clinician],
    )
    body["cancelationReason"] = concept(
        CANCELLATION_REASON, "pat", "Patient", "Cancelled by the patient"
    )
    chart.builder.add("Appointment", "cancelled-1", body)


def add_upcoming(chart: Chart, visits: list[Visit]) -> None:
    """A follow-up with the clinician last seen, then a check-up with the patient's own."""
    today = chart.profile.today
    last = visits[-1] if visits else None
    minute = last.minute if last else 9 * 60
    follow_up = appointment_body(
        chart,
        kind=VisitKind.FOLLOW_UP,
        status="booked",
        day=weekday_from(today + FOLLOW_UP_IN_DAYS * DAY, 1),
        minute=minute,
        clinician=chart.clinicians[last.clinician if last else 0],
    )
    chart.builder.add("Appointment", "upcoming-1", follow_up)
    check_up_day = weekday_from(today + CHECK_UP_IN_DAYS * DAY, 1)
    adult = chart.profile.age_on(check_up_day) >= 18
    check_up = appointment_body(
        chart,
        kind=VisitKind.CHECKUP if adult else VisitKind.WELL_CHILD,
        status="booked",
        # Mornings are for those seen in the afternoon, and the other way round.
        minute=14 * 60 if minute < 12 * 60 else 9 * 60 + 30,
        day=check_up_day,
        clinician=chart.primary,
    )
    chart.builder.add("Appointment", "upcoming-2", check_up)


def add_appointments(chart: Chart, visits: list[Visit]) -> None:
    """Past visits' appointments, a cancelled one, and two to come."""
    add_attended(chart, visits)
    if visits:
        add_cancelled(chart, visits[-1])
    add_upcoming(chart, visits)
