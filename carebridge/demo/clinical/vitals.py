"""Vital-sign Observations (US Core vital signs): blood pressure, pulse, breathing, temperature,
oxygen saturation, and growth (weight, height, BMI, a baby's head size)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import (
    LOINC,
    Json,
    at,
    coding,
    observation_category,
    quantity,
)
from carebridge.demo.clinical.problems import ASTHMA

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart
    from carebridge.demo.clinical.visits import Visit


@dataclass(frozen=True)
class VitalSign:
    loinc: str
    display: str
    name: str
    unit: str
    ucum: str
    decimals: int


VITAL_SIGNS = {
    "heart-rate": VitalSign("8867-4", "Heart rate", "Heart rate", "beats/minute", "/min", 0),
    "respiratory-rate": VitalSign(
        "9279-1", "Respiratory rate", "Breathing rate", "breaths/minute", "/min", 0
    ),
    "temperature": VitalSign("8310-5", "Body temperature", "Temperature", "°C", "Cel", 1),
    "oxygen-saturation": VitalSign(
        "59408-5",
        "Oxygen saturation in Arterial blood by Pulse oximetry",
        "Oxygen saturation",
        "%",
        "%",
        0,
    ),
    "weight": VitalSign("29463-7", "Body weight", "Weight", "kg", "kg", 1),
    "height": VitalSign("8302-2", "Body height", "Height", "cm", "cm", 1),
    "bmi": VitalSign("39156-5", "Body mass index (BMI) [Ratio]", "BMI", "kg/m2", "kg/m2", 1),
    "head-circumference": VitalSign(
        "9843-4", "Head Occipital-frontal circumference", "Head circumference", "cm", "cm", 1
    ),
}
BLOOD_PRESSURE = ("85354-9", "Blood pressure panel with all children optional", "Blood pressure")
SYSTOLIC = ("8480-6", "Systolic blood pressure")
DIASTOLIC = ("8462-4", "Diastolic blood pressure")
# Pulse oximetry is also coded with the general oxygen saturation code, as US Core asks.
OXYGEN_SATURATION_GENERAL = coding(LOINC, "2708-6", "Oxygen saturation in Arterial blood")


@dataclass(frozen=True)
class Taken:
    """Where and when a set of vital signs was taken, and by whom."""

    key: str
    day: datetime.date
    minute: int
    performer: Json
    encounter: Json | None = None


def observation(chart: Chart, taken: Taken, code: Json) -> Json:
    body: Json = {
        "status": "final",
        "category": observation_category("vital-signs", "Vital Signs"),
        "code": code,
        "subject": chart.subject(),
        "effectiveDateTime": at(taken.day, taken.minute),
        "issued": at(taken.day, taken.minute + 5),
        "performer": [taken.performer],
    }
    if taken.encounter:
        body["encounter"] = taken.encounter
    return body


def add_blood_pressure(chart: Chart, taken: Taken, systolic: float, diastolic: float) -> str:
    code = {"coding": [coding(LOINC, *BLOOD_PRESSURE[:2])], "text": BLOOD_PRESSURE[2]}
    body = observation(chart, taken, code)
    body["component"] = [
        {
            "code": {"coding": [coding(LOINC, *part)], "text": part[1]},
            "valueQuantity": quantity(round(value), "mmHg", "mm[Hg]"),
        }
        for part, value in ((SYSTOLIC, systolic), (DIASTOLIC, diastolic))
    ]
    chart.builder.add("Observation", f"{taken.key}/{BLOOD_PRESSURE[0]}", body)
    return f"{round(systolic)}/{round(diastolic)} mmHg"


def add_measurement(chart: Chart, taken: Taken, key: str, value: float) -> str:
    sign = VITAL_SIGNS[key]
    codings = [coding(LOINC, sign.loinc, sign.display)]
    if key == "oxygen-saturation":
        codings.append(OXYGEN_SATURATION_GENERAL)
    body = observation(chart, taken, {"coding": codings, "text": sign.name})
    rounded = round(value, sign.decimals) if sign.decimals else round(value)
    body["valueQuantity"] = quantity(rounded, sign.unit, sign.ucum)
    chart.builder.add("Observation", f"{taken.key}/{sign.loinc}", body)
    return f"{rounded} {sign.unit}"


def diastolic_for(chart: Chart, systolic: float, day: datetime.date) -> float:
    age = chart.profile.age_on(day)
    return 0.5 * systolic + 12 - max(age - 60, 0) * 0.25 + chart.rng.gauss(0, 3)


def has_fever(visit: Visit) -> bool:
    return any(diagnosis.problem.fever for diagnosis in visit.new)


def measure(chart: Chart, visit: Visit, key: str) -> float:
    """One vital sign's value at a visit, from the patient's trends and today's illness."""
    rng, profile, day = chart.rng, chart.profile, visit.day
    years = profile.years_old(day)
    fever = has_fever(visit)
    if key == "heart-rate":
        return chart.trends["heart-rate"].sample(rng, day) + (12 if fever else 0)
    if key == "respiratory-rate":
        return 16 + 24 * math.exp(-years / 3) + rng.gauss(0, 1.5) + (3 if fever else 0)
    if key == "temperature":
        return rng.gauss(38.3, 0.35) if fever else rng.gauss(36.8, 0.2)
    if key == "oxygen-saturation":
        wheezy = profile.has_active(ASTHMA, day) and visit.kind == "sick"
        return min(rng.gauss(98 - (2 if wheezy else 0) - (1 if years > 70 else 0), 0.8), 100)
    if key == "weight":
        return chart.body.weight_on(rng, profile, day)
    if key == "height":
        return chart.body.height_on(profile, day) + rng.gauss(0, 0.3)
    return chart.body.head_on(profile, day) + rng.gauss(0, 0.2)


def add_vitals(chart: Chart, visit: Visit, encounter: Json) -> dict[str, str]:
    """The visit's vital signs as Observations; returns each one written out for the note."""
    clinician = chart.clinicians[visit.clinician].reference()
    taken = Taken(visit.key, visit.day, visit.minute + 5, clinician, encounter)
    readings: dict[str, float] = {}
    written: dict[str, str] = {}
    for key in visit.vitals:
        if key == "blood-pressure":
            systolic = chart.trends["systolic"].sample(chart.rng, visit.day)
            diastolic = diastolic_for(chart, systolic, visit.day)
            written[key] = add_blood_pressure(chart, taken, systolic, diastolic)
            continue
        if key == "bmi":
            readings[key] = readings["weight"] / (readings["height"] / 100) ** 2
        else:
            readings[key] = measure(chart, visit, key)
        written[key] = add_measurement(chart, taken, key, readings[key])
    return written
