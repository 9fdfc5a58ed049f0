"""Condition resources: the problem list (long-term conditions, active or resolved) and the
diagnoses of sick visits, which are coded as encounter diagnoses rather than problems."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import ICD10, SNOMED, Json, at, coding, reference, status
from carebridge.demo.clinical.profile import DAY, Diagnosis

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart
    from carebridge.demo.clinical.visits import Visit

CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
PROBLEM_LIST = coding(CATEGORY, "problem-list-item", "Problem List Item")
ENCOUNTER_DIAGNOSIS = coding(CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")


def condition_body(
    chart: Chart, diagnosis: Diagnosis, *, recorded: datetime.date, clinician: Json
) -> Json:
    problem = diagnosis.problem
    resolved = diagnosis.abated is not None and diagnosis.abated <= chart.profile.today
    body: Json = {
        "clinicalStatus": status(CLINICAL, "resolved" if resolved else "active"),
        "verificationStatus": status(VERIFICATION, "confirmed"),
        "category": [{"coding": [PROBLEM_LIST if problem.chronic else ENCOUNTER_DIAGNOSIS]}],
        "code": {
            "coding": [
                coding(SNOMED, problem.snomed, problem.display),
                {"system": ICD10, "code": problem.icd10},
            ],
            "text": problem.name,
        },
        "subject": chart.subject(),
        "onsetDateTime": diagnosis.onset.isoformat(),
        "recordedDate": at(recorded, 12 * 60),
        "recorder": clinician,
        "asserter": clinician,
    }
    if resolved and diagnosis.abated:
        body["abatementDateTime"] = diagnosis.abated.isoformat()
    return body


def add_conditions(chart: Chart, visits: list[Visit]) -> None:
    """Every long-term condition and every illness, each linked to the visit it was found at
    (conditions older than the record were recorded when they began)."""
    found_at = {d.key: v for v in visits for d in v.new}
    illnesses = [d for v in visits for d in v.new if not d.problem.chronic]
    for diagnosis in [*chart.profile.conditions, *illnesses]:
        visit = found_at.get(diagnosis.key)
        clinician = chart.clinicians[visit.clinician if visit else 0].reference()
        recorded = visit.day if visit else diagnosis.onset + 2 * DAY
        body = condition_body(chart, diagnosis, recorded=recorded, clinician=clinician)
        if visit:
            body["encounter"] = reference(chart.builder.urn("Encounter", visit.key))
        chart.builder.add("Condition", diagnosis.key, body)
