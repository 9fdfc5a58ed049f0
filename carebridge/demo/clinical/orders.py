"""What happens at each visit: who sees the patient, which vital signs are taken, which lab
tests are ordered and which procedures are done, by the patient's age and conditions."""

from __future__ import annotations

import random

from carebridge.demo.clinical import labpanels as panels
from carebridge.demo.clinical import procedures as proc
from carebridge.demo.clinical.labcatalog import Panel
from carebridge.demo.clinical.problems import (
    AFIB,
    ASTHMA,
    CKD,
    DIABETES,
    HYPERLIPIDEMIA,
    HYPERTENSION,
    HYPOTHYROIDISM,
    PREDIABETES,
    VITAMIN_D,
)
from carebridge.demo.clinical.procedures import ProcedureKind
from carebridge.demo.clinical.profile import Profile
from carebridge.demo.clinical.visits import Visit, VisitKind

ADULT_VITALS = (
    "blood-pressure",
    "heart-rate",
    "respiratory-rate",
    "temperature",
    "oxygen-saturation",
    "weight",
    "height",
    "bmi",
)
# The tests a condition is checked with when it is diagnosed or followed up.
CONDITION_PANELS: dict[str, tuple[Panel, ...]] = {
    HYPERTENSION: (panels.CMP,),
    DIABETES: (panels.A1C, panels.CMP),
    PREDIABETES: (panels.A1C,),
    HYPERLIPIDEMIA: (panels.LIPIDS,),
    HYPOTHYROIDISM: (panels.THYROID,),
    CKD: (panels.CMP, panels.URINE_ALBUMIN_TEST),
    VITAMIN_D: (panels.VITAMIN_D_TEST,),
    AFIB: (panels.CBC,),
}
VISION_MONTHS = (36, 48, 60, 72, 96, 120, 144, 180)


def choose_vitals(profile: Profile, visit: Visit) -> tuple[str, ...]:
    """Adults have the full set; children their growth, with blood pressure from age three."""
    years = profile.years_old(visit.day)
    if years >= 18:
        return ADULT_VITALS
    taken = ["weight", "height"]
    taken += ["head-circumference"] if years < 3 else []
    taken += ["bmi"] if years >= 2 else []
    taken += ["blood-pressure"] if years >= 3 else []
    taken += ["heart-rate", "respiratory-rate", "temperature"]
    taken += ["oxygen-saturation"] if visit.kind == VisitKind.SICK else []
    return tuple(taken)


def checkup_panels(rng: random.Random, profile: Profile) -> list[Panel]:
    chosen = [panels.CBC, panels.CMP]
    if profile.has(HYPERLIPIDEMIA) or rng.random() < 0.5:
        chosen.append(panels.LIPIDS)
    if profile.has(DIABETES) or profile.has(PREDIABETES) or rng.random() < 0.25:
        chosen.append(panels.A1C)
    if profile.has(HYPOTHYROIDISM) or rng.random() < 0.15:
        chosen.append(panels.THYROID)
    if profile.has(VITAMIN_D) or rng.random() < 0.1:
        chosen.append(panels.VITAMIN_D_TEST)
    if profile.has(DIABETES):
        chosen.append(panels.URINE_ALBUMIN_TEST)
    return chosen


def child_panels(rng: random.Random, profile: Profile, visit: Visit) -> list[Panel]:
    """Children have only screening tests: anaemia at one year, cholesterol at ten."""
    if visit.month == 12:
        return [panels.CHILD_HEMOGLOBIN_TEST]
    if visit.month == 120:
        return [panels.CHILD_LIPIDS]
    if visit.kind == VisitKind.SICK and profile.age_on(visit.day) >= 12 and rng.random() < 0.1:
        return [panels.CBC]
    return []


def choose_panels(rng: random.Random, profile: Profile, visit: Visit) -> list[Panel]:
    if profile.age_on(visit.day) < 18:
        return child_panels(rng, profile, visit)
    if visit.kind == VisitKind.CHECKUP:
        chosen = checkup_panels(rng, profile)
    elif visit.kind == VisitKind.SICK:
        chosen = [panels.CBC] if rng.random() < 0.15 else []
    else:
        chosen = [p for d in visit.problems for p in CONDITION_PANELS.get(d.problem.key, ())]
    return list(dict.fromkeys(chosen))


def choose_procedures(rng: random.Random, profile: Profile, visit: Visit) -> list[ProcedureKind]:
    age = profile.age_on(visit.day)
    keys = {d.problem.key for d in visit.problems}
    done = []
    if visit.kind == VisitKind.WELL_CHILD and visit.month in VISION_MONTHS:
        done.append(proc.VISION)
    if visit.kind == VisitKind.CHECKUP:
        if age >= 65 and rng.random() < 0.35:
            done.append(proc.ECG)
        if profile.has_active(DIABETES, visit.day):
            done.append(proc.FOOT_EXAM)
        if profile.sex == "female" and 21 <= age <= 65 and rng.random() < 0.33:
            done.append(proc.CERVICAL)
    if AFIB in keys and rng.random() < 0.5:
        done.append(proc.ECG)
    if ASTHMA in keys and age >= 6 and rng.random() < 0.4:
        done.append(proc.SPIROMETRY)
    return list(dict.fromkeys(done))


def fill_visits(
    rng: random.Random, profile: Profile, visits: list[Visit], *, clinicians: int
) -> None:
    """Give every planned visit its clinician, vital signs, tests and procedures."""
    for visit in visits:
        # Most visits are with the patient's own clinician; some with a colleague.
        if clinicians > 1 and rng.random() < 0.25:
            visit.clinician = rng.randrange(1, clinicians)
        # A check-up reviews the long-term conditions the patient has at the time.
        if visit.kind == VisitKind.CHECKUP:
            visit.problems = profile.active_on(visit.day)[:4]
        visit.vitals = choose_vitals(profile, visit)
        visit.panels = choose_panels(rng, profile, visit)
        visit.procedures = choose_procedures(rng, profile, visit)
