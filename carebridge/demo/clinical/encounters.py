"""A visit as FHIR: the Encounter, its vital signs, lab orders and results, procedures, the
clinician's note and the patient's instructions.

The note is a DocumentReference of type LOINC 11506-3 (progress note) or 34117-2 (history and
physical); the instructions are a DocumentReference of type LOINC 69730-0 (instructions). Both
are category `clinical-note`, plain text, and point at the Encounter in `context.encounter`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import (
    DOCUMENT_CATEGORY,
    LOINC,
    SNOMED,
    Json,
    at,
    coding,
    concept,
    plain_text_attachment,
    reference,
)
from carebridge.demo.clinical.labs import add_panel
from carebridge.demo.clinical.notes import VisitEvents, clinical_note, instructions
from carebridge.demo.clinical.procedures import add_visit_procedure
from carebridge.demo.clinical.visits import Visit, VisitKind
from carebridge.demo.clinical.vitals import add_vitals

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart

# Visit kind: (SNOMED code, display, what the patient sees, minutes).
VISIT_TYPES = {
    VisitKind.CHECKUP: ("185349003", "Encounter for check up", "Annual physical", 40),
    VisitKind.WELL_CHILD: ("410620009", "Well child visit", "Well-child visit", 30),
    VisitKind.FOLLOW_UP: ("390906007", "Follow-up encounter", "Follow-up visit", 20),
    VisitKind.NEW_PROBLEM: ("185347001", "Encounter for problem", "Visit for a new concern", 30),
    VisitKind.SICK: ("185345009", "Encounter for symptom", "Sick visit", 20),
}
PROGRESS_NOTE = ("11506-3", "Progress note", "Progress note")
HISTORY_AND_PHYSICAL = ("34117-2", "History and physical note", "History and physical")
INSTRUCTIONS = ("69730-0", "Instructions", "After-visit instructions")
PRIMARY_PERFORMER = coding(
    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF", "primary performer"
)
DIAGNOSIS_ROLE = "http://terminology.hl7.org/CodeSystem/diagnosis-role"


def period(visit: Visit) -> Json:
    minutes = VISIT_TYPES[visit.kind][3]
    return {"start": at(visit.day, visit.minute), "end": at(visit.day, visit.minute + minutes)}


def reason_codes(visit: Visit) -> list[Json]:
    if visit.kind in (VisitKind.CHECKUP, VisitKind.WELL_CHILD):
        return [{"text": "Routine health check"}]
    return [
        concept(SNOMED, d.problem.snomed, d.problem.display, d.problem.name) for d in visit.problems
    ]


def encounter_body(chart: Chart, visit: Visit) -> Json:
    code, display, text, _ = VISIT_TYPES[visit.kind]
    body: Json = {
        "status": "finished",
        "class": coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"),
        "type": [concept(SNOMED, code, display, text)],
        "subject": chart.subject(),
        "participant": [
            {
                "type": [{"coding": [PRIMARY_PERFORMER]}],
                "period": period(visit),
                "individual": chart.clinicians[visit.clinician].reference(),
            }
        ],
        "period": period(visit),
        "reasonCode": reason_codes(visit),
        "serviceProvider": chart.organization(),
    }
    if visit.problems:
        body["diagnosis"] = [
            {
                "condition": chart.condition_reference(diagnosis),
                "use": concept(DIAGNOSIS_ROLE, "billing", "Billing"),
                "rank": rank,
            }
            for rank, diagnosis in enumerate(visit.problems, start=1)
        ]
    return body


def document_body(chart: Chart, visit: Visit, kind: tuple[str, str, str], text: str) -> Json:
    created = period(visit)["end"]
    return {
        "status": "current",
        "docStatus": "final",
        "type": concept(LOINC, kind[0], kind[1], kind[2]),
        "category": [{"coding": [coding(DOCUMENT_CATEGORY, "clinical-note", "Clinical Note")]}],
        "subject": chart.subject(),
        "date": created,
        "author": [chart.clinicians[visit.clinician].reference()],
        "custodian": chart.organization(),
        "description": f"{kind[2]}: {VISIT_TYPES[visit.kind][2].lower()}",
        "content": [{"attachment": plain_text_attachment(text, title=kind[2], created=created)}],
        "context": {
            "encounter": [reference(chart.builder.urn("Encounter", visit.key))],
            "period": period(visit),
        },
    }


def note_kind(visit: Visit) -> tuple[str, str, str]:
    thorough = visit.kind in (VisitKind.CHECKUP, VisitKind.WELL_CHILD, VisitKind.NEW_PROBLEM)
    return HISTORY_AND_PHYSICAL if thorough else PROGRESS_NOTE


def add_visit(chart: Chart, visit: Visit, events: VisitEvents) -> None:
    """Everything recorded at one visit."""
    urn = chart.builder.add("Encounter", visit.key, encounter_body(chart, visit))
    encounter = reference(urn, VISIT_TYPES[visit.kind][2])
    vitals = add_vitals(chart, visit, encounter)
    for panel in visit.panels:
        add_panel(chart, visit, panel, encounter)
    for minute, kind in enumerate(visit.procedures):
        add_visit_procedure(
            chart,
            kind,
            visit_key=visit.key,
            day=visit.day,
            minute=visit.minute + 10 + 10 * minute,
            encounter=encounter,
            performer=chart.clinicians[visit.clinician].reference(),
        )
    note = clinical_note(chart, visit, vitals, events)
    chart.builder.add(
        "DocumentReference",
        f"{visit.key}/note",
        document_body(chart, visit, note_kind(visit), note),
    )
    advice = instructions(chart, visit, events)
    chart.builder.add(
        "DocumentReference",
        f"{visit.key}/instructions",
        document_body(chart, visit, INSTRUCTIONS, advice),
    )
