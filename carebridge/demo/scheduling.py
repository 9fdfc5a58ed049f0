"""The demo clinic's booking set-up: who works when and where, and the kinds of visit it offers.

Idempotent like the rest of the demo: visit types are keyed on their names, and each demo
practitioner's weekly hours are put back to the plan below on every run. Appointments are not
made here: the demo patients book their own, and the EHR's appointments come with the records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from carebridge.clinic.models import Clinic, Location, Practitioner
from carebridge.scheduling.models import OnlineBooking, VisitMode, VisitType, WeeklyHours

# Monday to Friday, with a lunch break.
WORKING_DAYS = range(5)
MORNING = (datetime.time(8, 30), datetime.time(12, 0))
AFTERNOON = (datetime.time(13, 0), datetime.time(17, 0))


@dataclass(frozen=True)
class VisitTypeSpec:
    name: str
    description: str
    minutes: int
    mode: VisitMode
    online_booking: OnlineBooking
    copay_cents: int | None = None
    questions: tuple[str, ...] = ()
    # Family names of the practitioners who offer it; empty: every practitioner.
    offered_by: tuple[str, ...] = ()
    cancel_before_hours: int = 24


VISIT_TYPES = (
    VisitTypeSpec(
        "Check-up",
        "A routine visit with your clinician to review your health and your medicines.",
        20,
        VisitMode.IN_PERSON,
        OnlineBooking.ESTABLISHED,
        copay_cents=2500,
        questions=(
            "Is there anything new you would like to talk about?",
            "Have you been in hospital or to urgent care since your last visit?",
        ),
    ),
    VisitTypeSpec(
        "New patient visit",
        "Your first visit with us: a longer appointment to get to know you and your health.",
        40,
        VisitMode.IN_PERSON,
        OnlineBooking.EVERYONE,
        copay_cents=4000,
        questions=("What would you like help with first?",),
    ),
    VisitTypeSpec(
        "Video visit",
        "A visit by video from home, on a phone, tablet or computer with a camera.",
        20,
        VisitMode.VIDEO,
        OnlineBooking.ESTABLISHED,
        copay_cents=1500,
        offered_by=("Chen", "Okafor", "Ortega"),
        cancel_before_hours=4,
    ),
    VisitTypeSpec(
        "Phone call with your clinician",
        "A short call about a question that does not need an examination.",
        15,
        VisitMode.PHONE,
        OnlineBooking.ESTABLISHED,
        offered_by=("Lindgren", "Raman"),
        cancel_before_hours=4,
    ),
    VisitTypeSpec(
        "Blood test",
        "A blood draw ordered by your clinician. Some tests need you to fast first.",
        10,
        VisitMode.LAB,
        OnlineBooking.ESTABLISHED,
        offered_by=("Chen",),
        cancel_before_hours=2,
    ),
    VisitTypeSpec(
        "Minor procedure",
        "Removing a mole, a skin tag or stitches, for example. The clinic arranges the time.",
        40,
        VisitMode.IN_PERSON,
        OnlineBooking.NOBODY,
        copay_cents=5000,
        offered_by=("Okafor", "Ortega"),
    ),
)


def upsert_schedule(
    clinic: Clinic,
    locations: dict[str, Location],
    practitioners: dict[tuple[str, str], Practitioner],
) -> list[VisitType]:
    """Put the demo's weekly hours and visit types in place (keyed on names)."""
    for practitioner in practitioners.values():
        upsert_hours(practitioner)
    return [upsert_visit_type(clinic, spec, locations, practitioners) for spec in VISIT_TYPES]


def upsert_hours(practitioner: Practitioner) -> None:
    """Weekdays 8:30 to 12:00 and 13:00 to 17:00; a practitioner of two offices is at the
    first on Monday, Wednesday and Friday and at the second on Tuesday and Thursday."""
    offices = list(practitioner.locations.order_by("name"))
    WeeklyHours.objects.filter(practitioner=practitioner).delete()
    if not offices:
        return
    rows = []
    for weekday in WORKING_DAYS:
        office = offices[weekday % 2] if len(offices) > 1 else offices[0]
        for starts_at, ends_at in (MORNING, AFTERNOON):
            rows.append(
                WeeklyHours(
                    practitioner=practitioner,
                    location=office,
                    weekday=weekday,
                    starts_at=starts_at,
                    ends_at=ends_at,
                )
            )
    WeeklyHours.objects.bulk_create(rows)


def upsert_visit_type(
    clinic: Clinic,
    spec: VisitTypeSpec,
    locations: dict[str, Location],
    practitioners: dict[tuple[str, str], Practitioner],
) -> VisitType:
    visit_type, _ = VisitType.objects.update_or_create(
        clinic=clinic,
        name=spec.name,
        defaults={
            "description": spec.description,
            "duration_minutes": spec.minutes,
            "mode": spec.mode,
            "online_booking": spec.online_booking,
            "copay_cents": spec.copay_cents,
            "checkin_questions": "\n".join(spec.questions),
            "cancel_before_hours": spec.cancel_before_hours,
            "is_active": True,
        },
    )
    offering = [
        practitioner
        for (_given, family), practitioner in practitioners.items()
        if not spec.offered_by or family in spec.offered_by
    ]
    visit_type.practitioners.set(offering)
    visit_type.locations.set(
        {location.pk for p in offering for location in p.locations.all()}
        & {location.pk for location in locations.values()}
    )
    return visit_type
