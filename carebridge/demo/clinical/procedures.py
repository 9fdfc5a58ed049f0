"""Procedures: those done during a visit (an ECG, a foot exam) and screening tests done
elsewhere on their own day (colonoscopy, mammogram, bone density scan)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import SNOMED, Json, at, concept
from carebridge.demo.clinical.profile import DAY, Profile, random_day
from carebridge.demo.generator import years_before

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart


@dataclass(frozen=True)
class ProcedureKind:
    key: str
    snomed: str
    display: str
    name: str
    reason: str
    minutes: int = 10


ECG = ProcedureKind(
    "ecg",
    "29303009",
    "Electrocardiographic procedure",
    "Electrocardiogram (ECG)",
    "Heart rhythm check",
)
SPIROMETRY = ProcedureKind(
    "spirometry",
    "127783003",
    "Spirometry",
    "Breathing test (spirometry)",
    "Asthma control check",
    minutes=20,
)
FOOT_EXAM = ProcedureKind(
    "foot-exam",
    "401191002",
    "Diabetic foot examination",
    "Diabetic foot exam",
    "Yearly diabetes foot check",
)
VISION = ProcedureKind(
    "vision",
    "16830007",
    "Visual acuity testing",
    "Vision screening",
    "Routine childhood vision screening",
)
CERVICAL = ProcedureKind(
    "cervical",
    "171149006",
    "Screening for malignant neoplasm of cervix",
    "Cervical cancer screening (Pap test)",
    "Routine cancer screening",
)
COLONOSCOPY = ProcedureKind(
    "colonoscopy",
    "73761001",
    "Colonoscopy",
    "Screening colonoscopy",
    "Colorectal cancer screening",
    minutes=45,
)
MAMMOGRAM = ProcedureKind(
    "mammogram",
    "24623002",
    "Screening mammography",
    "Screening mammogram",
    "Breast cancer screening",
    minutes=20,
)
BONE_DENSITY = ProcedureKind(
    "bone-density",
    "312681000",
    "Bone density scan",
    "Bone density scan (DXA)",
    "Osteoporosis screening",
    minutes=15,
)


def screening_days(
    rng: random.Random, profile: Profile
) -> list[tuple[ProcedureKind, datetime.date]]:
    """Screening tests done outside the clinic, at the ages they are recommended."""
    planned = []
    last = profile.today - 14 * DAY
    at_45 = max(profile.start, years_before(profile.birth_date, -45))
    if at_45 < last and profile.age_on(profile.today) <= 80 and rng.random() < 0.6:
        planned.append((COLONOSCOPY, random_day(rng, at_45, last)))
    if profile.sex == "female":
        planned += mammograms(rng, profile, last)
        at_65 = max(profile.start, years_before(profile.birth_date, -65))
        if at_65 < last and rng.random() < 0.7:
            planned.append((BONE_DENSITY, random_day(rng, at_65, last)))
    return sorted(planned, key=lambda item: item[1])


def mammograms(
    rng: random.Random, profile: Profile, last: datetime.date
) -> list[tuple[ProcedureKind, datetime.date]]:
    day = max(profile.start, years_before(profile.birth_date, -40)) + rng.randint(0, 300) * DAY
    found = []
    while day < last and profile.age_on(day) < 75:
        if rng.random() < 0.8:
            found.append((MAMMOGRAM, day))
        day += rng.randint(700, 760) * DAY
    return found


def procedure_body(chart: Chart, kind: ProcedureKind, day: datetime.date, minute: int) -> Json:
    end = minute + kind.minutes
    return {
        "status": "completed",
        "category": concept(SNOMED, "103693007", "Diagnostic procedure"),
        "code": concept(SNOMED, kind.snomed, kind.display, kind.name),
        "subject": chart.subject(),
        "performedPeriod": {"start": at(day, minute), "end": at(day, end)},
        "reasonCode": [{"text": kind.reason}],
    }


def add_visit_procedure(
    chart: Chart,
    kind: ProcedureKind,
    *,
    visit_key: str,
    day: datetime.date,
    minute: int,
    encounter: Json,
    performer: Json,
) -> str:
    body = procedure_body(chart, kind, day, minute)
    body["encounter"] = encounter
    body["performer"] = [{"actor": performer}]
    return chart.builder.add("Procedure", f"{visit_key}/{kind.key}", body)


def add_screenings(chart: Chart) -> None:
    for number, (kind, day) in enumerate(screening_days(chart.rng, chart.profile), start=1):
        body = procedure_body(chart, kind, day, chart.rng.randrange(8 * 60, 15 * 60, 15))
        body["outcome"] = {"text": "Normal; no follow-up needed before the next routine test."}
        chart.builder.add("Procedure", f"screening-{number}/{kind.key}", body)
