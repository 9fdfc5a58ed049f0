"""Lab orders and results: a ServiceRequest for each test ordered at a visit, its result
Observations, and the DiagnosticReport that groups them."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import (
    DIAGNOSTIC_SERVICE,
    INTERPRETATION,
    LOINC,
    OBSERVATION_CATEGORY,
    SNOMED,
    Json,
    at,
    coding,
    concept,
    observation_category,
    quantity,
    reference,
)
from carebridge.demo.clinical.labcatalog import Analyte, Panel
from carebridge.demo.clinical.labvalues import interpret

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart
    from carebridge.demo.clinical.visits import Visit

DAY = datetime.timedelta(days=1)
INTERPRETATIONS = {
    "N": "Normal",
    "L": "Low",
    "H": "High",
    "LL": "Critical low",
    "HH": "Critical high",
}
LAB_CATEGORY = [
    {
        "coding": [
            coding(DIAGNOSTIC_SERVICE, "LAB", "Laboratory"),
            coding(OBSERVATION_CATEGORY, "laboratory", "Laboratory"),
        ],
        "text": "Laboratory",
    }
]


def add_order(chart: Chart, visit: Visit, panel: Panel, encounter: Json) -> str:
    clinician = chart.clinicians[visit.clinician]
    body: Json = {
        "status": "completed",
        "intent": "order",
        "category": [concept(SNOMED, "108252007", "Laboratory procedure")],
        "code": concept(LOINC, panel.loinc, panel.display, panel.name),
        "subject": chart.subject(),
        "encounter": encounter,
        "occurrenceDateTime": at(visit.day, visit.minute + 30),
        "authoredOn": at(visit.day, visit.minute + 20),
        "requester": clinician.reference(),
    }
    reasons = [chart.condition_reference(diagnosis) for diagnosis in visit.problems]
    if reasons:
        body["reasonReference"] = reasons
    return chart.builder.add("ServiceRequest", f"{visit.key}/{panel.key}", body)


def reference_range(analyte: Analyte, sex: str) -> Json:
    low, high = analyte.limits(sex)
    ranged: Json = {"text": analyte.describe_range(sex)}
    for name, bound in (("low", low), ("high", high)):
        if bound is not None:
            ranged[name] = quantity(bound, analyte.unit, analyte.ucum)
    return ranged


def lab_observation(
    chart: Chart,
    analyte: Analyte,
    value: float,
    *,
    drawn: str,
    issued: str,
    encounter: Json,
    performer: Json,
) -> Json:
    flag = interpret(value, analyte, chart.profile.sex)
    return {
        "status": "final",
        "category": observation_category("laboratory", "Laboratory"),
        "code": concept(LOINC, analyte.loinc, analyte.display, analyte.name),
        "subject": chart.subject(),
        "encounter": encounter,
        "effectiveDateTime": drawn,
        "issued": issued,
        "performer": [performer],
        "valueQuantity": quantity(value, analyte.unit, analyte.ucum),
        "interpretation": [
            {"coding": [coding(INTERPRETATION, flag, INTERPRETATIONS[flag])], "text": flag}
        ],
        "referenceRange": [reference_range(analyte, chart.profile.sex)],
    }


def conclusion(flags: list[tuple[Analyte, float, str]]) -> str:
    """A one-line summary a patient can read: which results are outside the range."""
    abnormal = [
        f"{analyte.name} {INTERPRETATIONS[flag].lower()} ({value:g} {analyte.unit})"
        for analyte, value, flag in flags
        if flag != "N"
    ]
    if not abnormal:
        return "All results are within the reference range."
    return "Outside the reference range: " + "; ".join(abnormal) + "."


def report_body(
    chart: Chart,
    panel: Panel,
    *,
    order: str,
    results: list[Json],
    flags: list[tuple[Analyte, float, str]],
    like: Json,
) -> Json:
    """The DiagnosticReport of a panel; `like` is one of its results, whose visit, clinician
    and times the report shares."""
    return {
        "status": "final",
        "category": LAB_CATEGORY,
        "code": concept(LOINC, panel.loinc, panel.display, panel.name),
        "subject": chart.subject(),
        "encounter": like["encounter"],
        "basedOn": [reference(order)],
        "effectiveDateTime": like["effectiveDateTime"],
        "issued": like["issued"],
        "performer": like["performer"],
        "resultsInterpreter": like["performer"],
        "result": results,
        "conclusion": conclusion(flags),
    }


def add_panel(chart: Chart, visit: Visit, panel: Panel, encounter: Json) -> None:
    """The order, results and report of one panel ordered at a visit."""
    order = add_order(chart, visit, panel, encounter)
    times = {
        "drawn": at(visit.day, visit.minute + 30),
        "issued": at(visit.day + DAY, chart.rng.randrange(7 * 60, 17 * 60, 5)),
    }
    clinician = chart.clinicians[visit.clinician].reference()
    results: list[Json] = []
    flags: list[tuple[Analyte, float, str]] = []
    for analyte, value in chart.labs.panel(panel, visit.day):
        body = lab_observation(
            chart, analyte, value, **times, encounter=encounter, performer=clinician
        )
        urn = chart.builder.add("Observation", f"{visit.key}/{panel.key}/{analyte.loinc}", body)
        results.append(reference(urn, analyte.name))
        flags.append((analyte, value, body["interpretation"][0]["coding"][0]["code"]))
    report = report_body(chart, panel, order=order, results=results, flags=flags, like=body)
    chart.builder.add("DiagnosticReport", f"{visit.key}/{panel.key}", report)
