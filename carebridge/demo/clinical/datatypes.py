"""Builders for the FHIR R4 datatypes the record generator writes: codes, quantities, references
and times. Every resource in `carebridge.demo.clinical` is made of these, so they look alike."""

from __future__ import annotations

import base64
import datetime
import zoneinfo
from typing import Any

Json = dict[str, Any]

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CVX = "http://hl7.org/fhir/sid/cvx"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
NPI = "http://hl7.org/fhir/sid/us-npi"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
DIAGNOSTIC_SERVICE = "http://terminology.hl7.org/CodeSystem/v2-0074"
DOCUMENT_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"

# The demo clinic's visits happen on its local clock; times carry their offset, so the same
# record reads correctly wherever it is shown.
CLINIC_TIME_ZONE = zoneinfo.ZoneInfo("America/New_York")


def coding(system: str, code: str, display: str) -> Json:
    return {"system": system, "code": code, "display": display}


def concept(system: str, code: str, display: str, text: str | None = None) -> Json:
    """A CodeableConcept with one coding; `text` is what a patient reads (the display if none)."""
    return {"coding": [coding(system, code, display)], "text": text or display}


def status(system: str, code: str) -> Json:
    """A status-like CodeableConcept (clinical status, verification status): code only."""
    return {"coding": [{"system": system, "code": code}]}


def observation_category(code: str, display: str) -> list[Json]:
    return [{"coding": [coding(OBSERVATION_CATEGORY, code, display)], "text": display}]


def quantity(value: float, unit: str, code: str) -> Json:
    """A UCUM quantity: `unit` is what people read, `code` the UCUM code machines compare."""
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def reference(urn: str, display: str | None = None) -> Json:
    ref: Json = {"reference": urn}
    if display:
        ref["display"] = display
    return ref


def clinic_time(day: datetime.date, minute_of_day: int) -> datetime.datetime:
    hour, minute = divmod(minute_of_day, 60)
    return datetime.datetime.combine(day, datetime.time(hour, minute), CLINIC_TIME_ZONE)


def fhir_time(moment: datetime.datetime) -> str:
    """A FHIR dateTime/instant: seconds precision with the clinic's UTC offset."""
    return moment.isoformat(timespec="seconds")


def at(day: datetime.date, minute_of_day: int) -> str:
    return fhir_time(clinic_time(day, minute_of_day))


def plain_text_attachment(text: str, *, title: str, created: str) -> Json:
    return {
        "contentType": "text/plain",
        "language": "en",
        "data": base64.b64encode(text.encode()).decode("ascii"),
        "title": title,
        "creation": created,
    }
