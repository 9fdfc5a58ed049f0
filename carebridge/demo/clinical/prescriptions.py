"""Which medicines a patient was prescribed, when, and what became of each prescription
(still taken, stopped for a stronger dose, or a finished course), as MedicationRequests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import (
    RXNORM,
    SNOMED,
    UCUM,
    Json,
    at,
    coding,
    concept,
    quantity,
    reference,
)
from carebridge.demo.clinical.medicines import MEDICINES_BY_KEY, Medicine
from carebridge.demo.clinical.problems import ASTHMA, CKD, DIABETES, HYPERLIPIDEMIA, HYPERTENSION
from carebridge.demo.clinical.profile import DAY, Diagnosis, Profile

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart
    from carebridge.demo.clinical.visits import Visit

LONG_TERM: dict[str, tuple[str, ...]] = {
    HYPERTENSION: ("lisinopril",),
    DIABETES: ("metformin",),
    HYPERLIPIDEMIA: ("atorvastatin-20",),
    "hypothyroidism": ("levothyroxine",),
    "osteoarthritis": ("acetaminophen",),
    "gerd": ("omeprazole",),
    "depression": ("sertraline",),
    "anxiety": ("escitalopram",),
    "afib": ("apixaban", "metoprolol"),
    "eczema": ("hydrocortisone",),
    "vitamin-d-deficiency": ("vitamin-d3",),
    "osteoporosis": ("alendronate",),
    "migraine": ("sumatriptan",),
}
# Stepping treatment up: (the medicine stopped, if any; the medicine started).
ESCALATION: dict[str, tuple[str | None, str]] = {
    HYPERTENSION: (None, "amlodipine"),
    DIABETES: ("metformin", "metformin-two-tablets"),
    HYPERLIPIDEMIA: ("atorvastatin-20", "atorvastatin-40"),
}
SHORT_COURSE: dict[str, str] = {
    "ear-infection": "amoxicillin",
    "strep-throat": "amoxicillin",
    "sinusitis": "amoxicillin",
    "uti": "nitrofurantoin",
    "ankle-sprain": "ibuprofen",
    "back-pain": "ibuprofen",
}


@dataclass(frozen=True)
class Prescription:
    medicine: Medicine
    reason: Diagnosis
    start: datetime.date
    end: datetime.date | None
    status: str
    status_reason: str = ""

    @property
    def key(self) -> str:
        return f"{self.reason.key}/{self.medicine.key}"


def long_term_medicines(profile: Profile, diagnosis: Diagnosis, controller: bool) -> list[str]:
    key = diagnosis.problem.key
    if key == ASTHMA:
        return ["albuterol", "fluticasone"] if controller else ["albuterol"]
    if key == "allergic-rhinitis":
        return ["cetirizine-5" if profile.age_on(diagnosis.onset) < 12 else "cetirizine-10"]
    return list(LONG_TERM.get(key, ()))


def long_term(
    profile: Profile,
    diagnosis: Diagnosis,
    start: datetime.date,
    step_up: datetime.date | None,
    controller: bool,
) -> list[Prescription]:
    """A long-term condition's medicines from `start`, through any step-up to today."""
    prescriptions = []
    stopped, added = ESCALATION.get(diagnosis.problem.key, (None, None))
    for key in long_term_medicines(profile, diagnosis, controller):
        end, state, why = diagnosis.abated, "completed", "Condition resolved"
        if key == stopped and step_up:
            end, state, why = step_up, "stopped", "Dose increased"
        if end is None:
            state, why = "active", ""
        prescriptions.append(Prescription(MEDICINES_BY_KEY[key], diagnosis, start, end, state, why))
    if added and step_up:
        prescriptions.append(
            Prescription(MEDICINES_BY_KEY[added], diagnosis, step_up, None, "active")
        )
    return prescriptions


def short_course(
    profile: Profile, illness: Diagnosis, start: datetime.date, allergic_to_penicillin: bool
) -> Prescription | None:
    key = SHORT_COURSE.get(illness.problem.key)
    age = profile.age_on(start)
    if key == "amoxicillin":
        key = "amoxicillin-liquid" if age < 12 else "amoxicillin-tablet"
        if allergic_to_penicillin:
            key = "azithromycin"
    # Ibuprofen is not for young children or for people with kidney disease.
    if key is None or (key == "ibuprofen" and (age < 12 or profile.has(CKD))):
        return None
    medicine = MEDICINES_BY_KEY[key]
    end = start + (medicine.days or 10) * DAY
    done = end < profile.today
    return Prescription(medicine, illness, start, end, "completed" if done else "active")


def plan_prescriptions(
    profile: Profile, visits: list[Visit], *, controller: bool, allergic_to_penicillin: bool
) -> list[Prescription]:
    """Every prescription, started at the visit that diagnosed its condition (or, for
    conditions older than the record, on the day they began)."""
    diagnosed_at = {d.key: v.day for v in visits for d in v.new}
    stepped_up_at = {d.key: v.day for v in visits for d in v.escalations}
    plans: list[Prescription] = []
    for diagnosis in profile.conditions:
        start = diagnosed_at.get(diagnosis.key, diagnosis.onset)
        step_up = stepped_up_at.get(diagnosis.key, diagnosis.escalated)
        plans += long_term(profile, diagnosis, start, step_up, controller)
    for visit in visits:
        for illness in (d for d in visit.new if not d.problem.chronic):
            course = short_course(profile, illness, visit.day, allergic_to_penicillin)
            plans += [course] if course else []
    return plans


def dosage(medicine: Medicine) -> Json:
    repeat: Json = {
        "frequency": medicine.frequency,
        "period": medicine.period,
        "periodUnit": medicine.period_unit,
    }
    if medicine.days:
        repeat["boundsDuration"] = quantity(medicine.days, "days", "d")
    return {
        "sequence": 1,
        "text": medicine.directions,
        "timing": {"repeat": repeat},
        "asNeededBoolean": medicine.as_needed,
        "route": concept(SNOMED, *medicine.route),
        "doseAndRate": [{"doseQuantity": quantity(medicine.dose, *medicine.dose_unit)}],
    }


def prescription_body(
    chart: Chart, plan: Prescription, *, requester: Json, encounter: str | None
) -> Json:
    medicine = plan.medicine
    supply = medicine.days or 90
    body: Json = {
        "status": plan.status,
        "intent": "order",
        "category": [
            concept(
                "http://terminology.hl7.org/CodeSystem/medicationrequest-category",
                "outpatient",
                "Outpatient",
            )
        ],
        "medicationCodeableConcept": {
            "coding": [coding(RXNORM, medicine.rxnorm, medicine.display)],
            "text": medicine.text,
        },
        "subject": chart.subject(),
        "authoredOn": at(plan.start, 12 * 60),
        "requester": requester,
        "reasonReference": [chart.condition_reference(plan.reason)],
        "dosageInstruction": [dosage(medicine)],
        "dispenseRequest": {
            "numberOfRepeatsAllowed": 0 if medicine.days else 3,
            "expectedSupplyDuration": {
                "value": supply,
                "unit": "days",
                "system": UCUM,
                "code": "d",
            },
        },
    }
    if plan.status_reason:
        body["statusReason"] = {"text": plan.status_reason}
    if encounter:
        body["encounter"] = reference(encounter)
    return body


def add_prescriptions(chart: Chart, plans: list[Prescription], visits: list[Visit]) -> None:
    by_day = {visit.day: visit for visit in visits}
    for plan in plans:
        visit = by_day.get(plan.start)
        clinician = chart.clinicians[visit.clinician if visit else 0]
        encounter = chart.builder.urn("Encounter", visit.key) if visit else None
        body = prescription_body(chart, plan, requester=clinician.reference(), encounter=encounter)
        chart.builder.add("MedicationRequest", plan.key, body)
