"""The demo health records' clinical content: lab results agree with their ranges, vital signs
are complete, and what a patient has follows from their age and conditions."""

import base64
import datetime
from collections import Counter
from typing import Any

from carebridge.demo.tests.clinical_helpers import TODAY, resources

INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
UCUM = "http://unitsofmeasure.org"
ADULT_VITAL_CODES = {
    "85354-9",
    "8867-4",
    "9279-1",
    "8310-5",
    "59408-5",
    "29463-7",
    "8302-2",
    "39156-5",
}


def category(resource: dict[str, Any]) -> str:
    return resource["category"][0]["coding"][0]["code"]


def code(resource: dict[str, Any]) -> str:
    is_document = resource.get("resourceType") == "DocumentReference"
    concept = resource["type"] if is_document else resource["code"]
    return concept["coding"][0]["code"]


def labs(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in resources(bundle, "Observation") if category(r) == "laboratory"]


def vitals(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in resources(bundle, "Observation") if category(r) == "vital-signs"]


def day_of(moment: str) -> datetime.date:
    return datetime.date.fromisoformat(moment[:10])


def expected_flag(value: float, reference_range: dict[str, Any]) -> set[str]:
    """The interpretations a value may have against its range (critical ones beyond it)."""
    low, high = reference_range.get("low"), reference_range.get("high")
    if low is not None and value < low["value"]:
        return {"L", "LL"}
    if high is not None and value > high["value"]:
        return {"H", "HH"}
    return {"N"}


def test_every_lab_interpretation_agrees_with_its_value_and_range(bundles, large_record):
    flags: Counter[str] = Counter()
    for bundle in [*bundles, large_record]:
        for result in labs(bundle):
            [reference_range] = result["referenceRange"]
            [interpretation] = result["interpretation"]
            [coding] = interpretation["coding"]
            assert coding["system"] == INTERPRETATION
            value = result["valueQuantity"]["value"]
            assert coding["code"] in expected_flag(value, reference_range), (code(result), value)
            flags[coding["code"]] += 1
    assert flags == {"N": 3_847, "H": 1_015, "L": 268, "HH": 7}


def test_lab_results_carry_ucum_quantities_ranges_and_times(bundles):
    for bundle in bundles:
        for result in labs(bundle):
            quantity = result["valueQuantity"]
            assert set(quantity) == {"value", "unit", "system", "code"}
            assert quantity["system"] == UCUM
            [reference_range] = result["referenceRange"]
            assert reference_range["text"]
            assert {"low", "high"} & set(reference_range)
            for bound in ("low", "high"):
                if bound in reference_range:
                    assert reference_range[bound]["code"] == quantity["code"]
            assert day_of(result["issued"]) == day_of(result["effectiveDateTime"]) + (
                datetime.timedelta(days=1)
            )


def test_lab_reports_group_their_visits_results(bundles):
    for bundle in bundles:
        by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
        for report in resources(bundle, "DiagnosticReport"):
            codings = report["category"][0]["coding"]
            assert [(c["system"], c["code"]) for c in codings] == [
                ("http://terminology.hl7.org/CodeSystem/v2-0074", "LAB"),
                ("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory"),
            ]
            results = [by_url[ref["reference"]] for ref in report["result"]]
            assert results
            assert {r["encounter"]["reference"] for r in results} == {
                report["encounter"]["reference"]
            }
            assert {r["issued"] for r in results} == {report["issued"]}
            [order] = [by_url[ref["reference"]] for ref in report["basedOn"]]
            assert order["resourceType"] == "ServiceRequest"
            assert order["code"]["coding"][0]["code"] == code(report)


def test_a_diabetic_patients_hba1c_rises_until_diagnosed_and_treated(bundles):
    diabetic = bundles[9]
    [diabetes] = [r for r in resources(diabetic, "Condition") if code(r) == "44054006"]
    assert diabetes["onsetDateTime"] == "2023-09-03"
    series = [
        (r["effectiveDateTime"][:10], r["valueQuantity"]["value"])
        for r in labs(diabetic)
        if code(r) == "4548-4"
    ]
    assert series == [
        ("2017-09-18", 5.8),
        ("2020-11-10", 6.4),
        ("2021-12-20", 5.8),
        ("2023-06-21", 8.2),
        ("2023-09-04", 8.7),
        ("2024-04-19", 7.1),
        ("2024-08-08", 7.3),
        ("2025-04-30", 7.6),
        ("2025-07-04", 7.5),
        ("2025-08-04", 6.8),
        ("2025-12-22", 6.3),
    ]
    medicines = [
        (r["medicationCodeableConcept"]["coding"][0]["code"], r["status"], r["authoredOn"][:10])
        for r in resources(diabetic, "MedicationRequest")
        if r["reasonReference"][0]["display"] == "Type 2 diabetes"
    ]
    assert medicines == [("860975", "stopped", "2023-09-04"), ("860975", "active", "2025-07-04")]


def test_blood_pressure_is_a_panel_of_systolic_and_diastolic(bundles, large_record):
    for bundle in [*bundles, large_record]:
        for reading in (r for r in vitals(bundle) if code(r) == "85354-9"):
            assert "valueQuantity" not in reading
            parts = {code(c): c["valueQuantity"] for c in reading["component"]}
            assert set(parts) == {"8480-6", "8462-4"}
            assert {q["code"] for q in parts.values()} == {"mm[Hg]"}
            assert 70 < parts["8480-6"]["value"] < 200
            assert 35 < parts["8462-4"]["value"] < parts["8480-6"]["value"]


def test_adults_have_at_least_five_years_of_blood_pressure_readings(patients, bundles):
    adults = [b for spec, b in zip(patients, bundles, strict=True) if spec.age(TODAY) >= 18]
    assert len(adults) == 8
    for bundle in adults:
        days = sorted(
            day_of(r["effectiveDateTime"]) for r in vitals(bundle) if code(r) == "85354-9"
        )
        assert (days[-1] - days[0]).days >= 5 * 365


def test_every_adult_visit_has_the_full_set_of_vital_signs(patients, bundles):
    for spec, bundle in zip(patients, bundles, strict=True):
        by_visit: dict[str, set[str]] = {}
        for reading in vitals(bundle):
            by_visit.setdefault(reading["encounter"]["reference"], set()).add(code(reading))
        adult_from = spec.birth_date.replace(year=spec.birth_date.year + 18)
        for encounter in resources(bundle, "Encounter"):
            taken = by_visit[f"urn:uuid:{encounter['id']}"]
            if day_of(encounter["period"]["start"]) >= adult_from:
                assert taken == ADULT_VITAL_CODES


def test_children_have_growth_vitals_by_age_and_no_hba1c(patients, bundles):
    children = [(s, b) for s, b in zip(patients, bundles, strict=True) if s.age(TODAY) < 18]
    assert len(children) == 4
    for spec, bundle in children:
        assert not [r for r in labs(bundle) if code(r) in ("4548-4", "2345-7")]
        for reading in vitals(bundle):
            months = (day_of(reading["effectiveDateTime"]) - spec.birth_date).days / 30.44
            if code(reading) == "9843-4":
                assert months < 36
            if code(reading) in ("85354-9", "39156-5"):
                assert months >= 24
    toddler_heads = [r for r in vitals(bundles[0]) if code(r) == "9843-4"]
    assert [r["valueQuantity"]["value"] for r in toddler_heads] == [48.8, 49.5, 49.2, 50.0]


def test_children_have_their_childhood_vaccines(bundles):
    child = bundles[0]
    vaccines = Counter(
        r["vaccineCode"]["coding"][0]["code"] for r in resources(child, "Immunization")
    )
    # The whole childhood series, the vaccines due at eleven, and most years' flu shots.
    assert vaccines == {
        "08": 3,
        "116": 3,
        "20": 5,
        "49": 3,
        "133": 4,
        "10": 4,
        "03": 2,
        "21": 2,
        "83": 2,
        "115": 1,
        "114": 1,
        "165": 2,
        "150": 6,
        "140": 1,
    }
    assert all(
        r["vaccineCode"]["coding"][0]["system"] == "http://hl7.org/fhir/sid/cvx"
        for r in resources(child, "Immunization")
    )


def test_older_adults_have_more_problems_and_medicines_than_young_adults(patients, bundles):
    def problems(bundle: dict[str, Any]) -> int:
        return sum(category(r) == "problem-list-item" for r in resources(bundle, "Condition"))

    def medicines(bundle: dict[str, Any]) -> int:
        return sum(r["status"] == "active" for r in resources(bundle, "MedicationRequest"))

    by_age = sorted(zip(patients, bundles, strict=True), key=lambda item: item[0].age(TODAY))
    young = [b for spec, b in by_age if 18 <= spec.age(TODAY) < 40]
    old = [b for spec, b in by_age if spec.age(TODAY) >= 65]
    assert [problems(b) for b in young] == [0, 1]
    assert [problems(b) for b in old] == [1, 2, 3, 3]
    assert [medicines(b) for b in young] == [0, 1]
    assert [medicines(b) for b in old] == [1, 2, 2, 5]


def test_adults_get_a_flu_shot_most_autumns(patients, bundles):
    flu_shots = [
        sum(
            r["vaccineCode"]["coding"][0]["code"] in ("140", "150")
            for r in resources(bundle, "Immunization")
        )
        for bundle in bundles
    ]
    assert flu_shots == [7, 4, 5, 7, 9, 6, 7, 5, 5, 6, 9, 6]


def test_some_patients_have_no_allergies_and_then_no_allergy_resources(bundles):
    allergies = [len(resources(bundle, "AllergyIntolerance")) for bundle in bundles]
    assert allergies == [2, 0, 0, 0, 1, 1, 0, 0, 0, 2, 1, 0]
    for allergy in resources(bundles[0], "AllergyIntolerance"):
        assert allergy["reaction"][0]["manifestation"][0]["coding"][0]["system"] == (
            "http://snomed.info/sct"
        )
        assert allergy["reaction"][0]["severity"] in {"mild", "moderate", "severe"}
        assert allergy["criticality"] in {"low", "high"}


def test_problems_are_snomed_coded_with_onset_and_resolution(bundles):
    for bundle in bundles:
        for condition in resources(bundle, "Condition"):
            assert condition["code"]["coding"][0]["system"] == "http://snomed.info/sct"
            assert condition["onsetDateTime"] <= condition["recordedDate"][:10]
            resolved = condition["clinicalStatus"]["coding"][0]["code"] == "resolved"
            assert ("abatementDateTime" in condition) == resolved
    statuses = Counter(
        (category(c), c["clinicalStatus"]["coding"][0]["code"])
        for bundle in bundles
        for c in resources(bundle, "Condition")
    )
    # Sick visits' diagnoses have mostly resolved; a recent one is still active.
    assert statuses == {
        ("problem-list-item", "active"): 17,
        ("encounter-diagnosis", "resolved"): 76,
        ("encounter-diagnosis", "active"): 3,
    }


def test_prescriptions_have_plain_directions_and_a_reason(bundles):
    for bundle in bundles:
        for request in resources(bundle, "MedicationRequest"):
            assert request["intent"] == "order"
            medication = request["medicationCodeableConcept"]["coding"][0]
            assert medication["system"] == "http://www.nlm.nih.gov/research/umls/rxnorm"
            [dosage] = request["dosageInstruction"]
            assert dosage["text"].split()[0] in {"Take", "Inhale", "Give", "Apply"}
            assert dosage["timing"]["repeat"]["frequency"] >= 1
            assert dosage["doseAndRate"][0]["doseQuantity"]["system"] == "http://unitsofmeasure.org"
            assert request["reasonReference"][0]["reference"].startswith("urn:uuid:")
            assert ("statusReason" in request) == (request["status"] == "stopped")


def test_each_visit_has_a_note_and_instructions_in_plain_text(bundles):
    for bundle in bundles:
        documents: dict[str, list[str]] = {}
        for document in resources(bundle, "DocumentReference"):
            [attachment] = [c["attachment"] for c in document["content"]]
            assert attachment["contentType"] == "text/plain"
            assert base64.b64decode(attachment["data"]).decode().strip()
            assert category(document) == "clinical-note"
            [encounter] = document["context"]["encounter"]
            documents.setdefault(encounter["reference"], []).append(code(document))
        for encounter in resources(bundle, "Encounter"):
            kinds = sorted(documents[f"urn:uuid:{encounter['id']}"])
            assert kinds in (["11506-3", "69730-0"], ["34117-2", "69730-0"])


def test_a_visit_note_tells_what_happened(bundles):
    note = next(
        base64.b64decode(d["content"][0]["attachment"]["data"]).decode()
        for d in resources(bundles[9], "DocumentReference")
        if d["date"].startswith("2023-09-04") and code(d) == "34117-2"
    )
    assert "Reason for visit: Symptoms and results pointing to type 2 diabetes." in note
    assert "1. Type 2 diabetes: New diagnosis." in note
    assert "Started Metformin ER 500 mg tablet." in note
    assert "Labs ordered: Hemoglobin A1c, Comprehensive metabolic panel." in note


def test_encounters_are_ambulatory_with_a_type_participant_and_provider(bundles):
    kinds: Counter[str] = Counter()
    for bundle in bundles:
        for encounter in resources(bundle, "Encounter"):
            assert encounter["class"]["code"] == "AMB"
            assert encounter["participant"][0]["individual"]["reference"].startswith("urn:uuid:")
            assert encounter["serviceProvider"]["reference"].startswith("urn:uuid:")
            assert encounter["reasonCode"]
            kinds[encounter["type"][0]["text"]] += 1
    assert kinds == {
        "Annual physical": 64,
        "Well-child visit": 47,
        "Follow-up visit": 67,
        "Sick visit": 79,
        "Visit for a new concern": 6,
    }


def test_care_team_goals_and_care_plans(bundles):
    older = bundles[5]
    [team] = resources(older, "CareTeam")
    roles = [p["role"][0]["coding"][0]["code"] for p in team["participant"]]
    assert roles[-1] == "116154003"
    goals = [g["description"]["text"] for g in resources(older, "Goal")]
    plans = [(p["title"], p["status"]) for p in resources(older, "CarePlan")]
    assert goals and plans
    for plan in resources(older, "CarePlan"):
        assert plan["intent"] == "plan"
        assert all(a["detail"]["description"] for a in plan["activity"])
