"""The CCD's coded entries, one builder per section, each from one row's index columns.

Each builder adds one `<entry>` to its section with the C-CDA R2.1 entry template for that kind
of statement (a problem concern, a medication activity, a result organizer, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carebridge.records.exports.ccda.xml import (
    LOINC,
    SNOMED,
    Element,
    coded,
    el,
    fhir_coded,
    is_unit,
    quantity,
    resource_id,
    template,
    time_range,
    ts_text,
    typed,
)
from carebridge.records.models import ClinicalResource, ResourceType

EntryBuilder = Callable[[Element, ClinicalResource, str], None]
ACT_CODE = ("2.16.840.1.113883.5.6", "HL7ActClass")
ACT_CODE_SYSTEM = ("2.16.840.1.113883.5.4", "HL7ActCode")
INTERPRETATION = ("2.16.840.1.113883.5.83", "ObservationInterpretation")
INTERPRETATIONS = {
    "N": "Normal",
    "H": "High",
    "L": "Low",
    "HH": "Critical high",
    "LL": "Critical low",
    "A": "Abnormal",
    "AA": "Critical abnormal",
}
# Clinical statuses that mean the concern is still being followed.
ONGOING = {"active", "recurrence", "relapse", "in-progress", "on-hold"}
MEDICATION_STATUSES = {
    "active": "active",
    "on-hold": "suspended",
    "cancelled": "cancelled",
    "entered-in-error": "nullified",
}


def _id(parent: Element, row: ClinicalResource, id_root: str, part: str = "") -> None:
    extension = f"{row.resource_type}/{row.fhir_id}" + (f"/{part}" if part else "")
    resource_id(parent, id_root, extension)


def _code(parent: Element, row: ClinicalResource, tag: str = "code", xsi_type: str = "") -> None:
    fhir_coded(parent, tag, row.code_system, row.code, row.code_display, xsi_type)


def _concern(parent: Element, row: ClinicalResource, id_root: str, oid: str) -> Element:
    """A concern act (problem or allergy), with the statement itself as its subject."""
    act = el(el(parent, "entry", typeCode="DRIV"), "act", classCode="ACT", moodCode="EVN")
    template(act, oid, "2015-08-01")
    _id(act, row, id_root, "concern")
    coded(act, "code", "CONC", ACT_CODE, "Concern")
    is_ongoing = row.clinical_status in ONGOING or not row.clinical_status
    el(act, "statusCode", code="active" if is_ongoing else "completed")
    time_range(act, row.effective_at, None if is_ongoing else row.effective_end)
    relation = el(act, "entryRelationship", typeCode="SUBJ")
    return el(relation, "observation", classCode="OBS", moodCode="EVN")


def problem_entry(parent: Element, row: ClinicalResource, id_root: str) -> None:
    """Problem Concern Act holding a Problem Observation (the coded problem as its value)."""
    observation = _concern(parent, row, id_root, "2.16.840.1.113883.10.20.22.4.3")
    template(observation, "2.16.840.1.113883.10.20.22.4.4", "2015-08-01")
    _id(observation, row, id_root)
    code = coded(observation, "code", "55607006", SNOMED, "Problem")
    coded(code, "translation", "75326-9", LOINC, "Problem")
    el(observation, "statusCode", code="completed")
    time_range(observation, row.effective_at, row.effective_end)
    _code(observation, row, "value", "CD")


def allergy_entry(parent: Element, row: ClinicalResource, id_root: str) -> None:
    """Allergy Concern Act holding an Allergy - Intolerance Observation; the substance is the
    consumable participant."""
    observation = _concern(parent, row, id_root, "2.16.840.1.113883.10.20.22.4.30")
    template(observation, "2.16.840.1.113883.10.20.22.4.7", "2014-06-09")
    _id(observation, row, id_root)
    coded(observation, "code", "ASSERTION", ACT_CODE_SYSTEM, "Assertion")
    el(observation, "statusCode", code="completed")
    time_range(observation, row.effective_at)
    value = typed(
        observation,
        "value",
        "CD",
        code="420134006",
        codeSystem=SNOMED[0],
        codeSystemName=SNOMED[1],
        displayName="Propensity to adverse reaction",
    )
    if row.detail:
        el(value, "originalText", row.detail)
    participant = el(observation, "participant", typeCode="CSM")
    role = el(participant, "participantRole", classCode="MANU")
    entity = el(role, "playingEntity", classCode="MMAT")
    _code(entity, row)


def medication_entry(parent: Element, row: ClinicalResource, id_root: str) -> None:
    """Medication Activity: an order (intent) or a statement of use (event), with the drug as
    its consumable and the instructions as its text."""
    mood = "INT" if row.resource_type == ResourceType.MEDICATION_REQUEST else "EVN"
    entry = el(parent, "entry", typeCode="DRIV")
    activity = el(entry, "substanceAdministration", classCode="SBADM", moodCode=mood)
    template(activity, "2.16.840.1.113883.10.20.22.4.16", "2014-06-09")
    _id(activity, row, id_root)
    if row.detail:
        el(activity, "text", row.detail)
    status = row.clinical_status or row.status
    el(activity, "statusCode", code=MEDICATION_STATUSES.get(status, "completed"))
    time_range(activity, row.effective_at, row.effective_end, xsi_type="IVL_TS")
    _product(activity, row, "2.16.840.1.113883.10.20.22.4.23", "2014-06-09")


def _product(activity: Element, row: ClinicalResource, oid: str, extension: str) -> None:
    product = el(el(activity, "consumable"), "manufacturedProduct", classCode="MANU")
    template(product, oid, extension)
    _code(el(product, "manufacturedMaterial"), row)


def immunization_entry(parent: Element, row: ClinicalResource, id_root: str) -> None:
    """Immunization Activity: the vaccine given (or, negated, not given) on a day."""
    entry = el(parent, "entry", typeCode="DRIV")
    activity = el(
        entry,
        "substanceAdministration",
        classCode="SBADM",
        moodCode="EVN",
        negationInd="true" if row.status == "not-done" else "false",
    )
    template(activity, "2.16.840.1.113883.10.20.22.4.52", "2015-08-01")
    _id(activity, row, id_root)
    el(activity, "statusCode", code="completed")
    if row.effective_at is not None:
        el(activity, "effectiveTime", value=ts_text(row.effective_at))
    else:
        el(activity, "effectiveTime", nullFlavor="UNK")
    _product(activity, row, "2.16.840.1.113883.10.20.22.4.54", "2014-06-09")


def procedure_entry(parent: Element, row: ClinicalResource, id_root: str) -> None:
    """Procedure Activity Procedure: what was done, and when."""
    entry = el(parent, "entry", typeCode="DRIV")
    procedure = el(entry, "procedure", classCode="PROC", moodCode="EVN")
    template(procedure, "2.16.840.1.113883.10.20.22.4.14", "2014-06-09")
    _id(procedure, row, id_root)
    _code(procedure, row)
    status = {"in-progress": "active", "not-done": "cancelled"}.get(row.status, "completed")
    el(procedure, "statusCode", code=status)
    time_range(procedure, row.effective_at, row.effective_end)


def encounter_entry(parent: Element, row: ClinicalResource, id_root: str) -> None:
    """Encounter Activity: the kind of visit and its time."""
    entry = el(parent, "entry", typeCode="DRIV")
    encounter = el(entry, "encounter", classCode="ENC", moodCode="EVN")
    template(encounter, "2.16.840.1.113883.10.20.22.4.49", "2015-08-01")
    _id(encounter, row, id_root)
    _code(encounter, row)
    time_range(encounter, row.effective_at, row.effective_end)


def result_entry(parent: Element, row: ClinicalResource, id_root: str) -> None:
    """Result Organizer holding one Result Observation: its value, flag and normal range."""
    if row.resource_type != ResourceType.OBSERVATION:
        return
    entry = el(parent, "entry", typeCode="DRIV")
    organizer = el(entry, "organizer", classCode="BATTERY", moodCode="EVN")
    template(organizer, "2.16.840.1.113883.10.20.22.4.1", "2015-08-01")
    _id(organizer, row, id_root, "organizer")
    _code(organizer, row)
    el(organizer, "statusCode", code="completed")
    time_range(organizer, row.effective_at, row.effective_at)
    observation = _measurement(organizer, row, id_root, "2.16.840.1.113883.10.20.22.4.2")
    _code(observation, row)
    _when(observation, row)
    _result_value(observation, row)
    _interpretation(observation, row.interpretation)
    _reference_range(observation, row)


def vital_entry(parent: Element, row: ClinicalResource, id_root: str) -> None:
    """Vital Signs Organizer: one Vital Sign Observation, or one per component (blood
    pressure's systolic and diastolic)."""
    entry = el(parent, "entry", typeCode="DRIV")
    organizer = el(entry, "organizer", classCode="CLUSTER", moodCode="EVN")
    template(organizer, "2.16.840.1.113883.10.20.22.4.26", "2015-08-01")
    _id(organizer, row, id_root, "organizer")
    code = coded(organizer, "code", "46680005", SNOMED, "Vital signs")
    coded(code, "translation", "74728-7", LOINC, "Vital signs panel")
    el(organizer, "statusCode", code="completed")
    time_range(organizer, row.effective_at, row.effective_at)
    for part, system, code_value, display, value, unit in _vital_parts(row):
        observation = _measurement(
            organizer, row, id_root, "2.16.840.1.113883.10.20.22.4.27", part, "2014-06-09"
        )
        fhir_coded(observation, "code", system, code_value, display)
        _when(observation, row)
        if value is None:
            typed(observation, "value", "PQ", nullFlavor="NI")
        else:
            quantity(observation, "value", value, unit)


def _vital_parts(row: ClinicalResource) -> list[tuple[str, str, str, str, Any, str]]:
    if row.components:
        return [
            (
                item.get("code") or str(index),
                row.code_system,
                item.get("code") or "",
                item.get("display") or "",
                item.get("value"),
                item.get("unit") or "",
            )
            for index, item in enumerate(row.components)
        ]
    return [("", row.code_system, row.code, row.code_display, row.value_numeric, row.value_unit)]


def _measurement(
    organizer: Element,
    row: ClinicalResource,
    id_root: str,
    oid: str,
    part: str = "",
    extension: str = "2015-08-01",
) -> Element:
    observation = el(el(organizer, "component"), "observation", classCode="OBS", moodCode="EVN")
    template(observation, oid, extension)
    _id(observation, row, id_root, part)
    return observation


def _when(observation: Element, row: ClinicalResource) -> None:
    el(observation, "statusCode", code="completed")
    if row.effective_at is not None:
        el(observation, "effectiveTime", value=ts_text(row.effective_at))
    else:
        el(observation, "effectiveTime", nullFlavor="UNK")


def _result_value(observation: Element, row: ClinicalResource) -> None:
    if row.value_numeric is not None:
        quantity(observation, "value", row.value_numeric, row.value_unit)
    elif row.value_text:
        typed(observation, "value", "ST", row.value_text)
    else:
        typed(observation, "value", "ST", nullFlavor="NI")


def _interpretation(observation: Element, interpretation: str) -> None:
    if interpretation in INTERPRETATIONS:
        display = INTERPRETATIONS[interpretation]
        coded(observation, "interpretationCode", interpretation, INTERPRETATION, display)


def _reference_range(observation: Element, row: ClinicalResource) -> None:
    low, high, unit = row.reference_low, row.reference_high, row.value_unit.strip()
    if low is None and high is None and not row.reference_text:
        return
    observation_range = el(el(observation, "referenceRange"), "observationRange")
    if row.reference_text:
        el(observation_range, "text", row.reference_text)
    if (low is not None or high is not None) and is_unit(unit):
        interval = typed(observation_range, "value", "IVL_PQ")
        for tag, bound in (("low", low), ("high", high)):
            if bound is not None:
                quantity(interval, tag, bound, unit, xsi_type="")
