"""Identifier collisions of every kind: never one person's record filed under another's.

Cast: Pat Patient (clinic MRN RFC-1001, female, born 1956-03-14) holds a driver's licence
number; every incoming export below shares something with her, or with another incoming
person, and must be matched to her only when the rule in docs/fhir-mapping.md says so.
"""

from __future__ import annotations

import datetime
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.patients.models import Patient, PatientIdentifier
from carebridge.records.identifiers import mrn_system
from carebridge.records.importing.reviews import decide_match_review
from carebridge.records.models import ClinicalResource, MatchStatus, PatientMatchReview
from carebridge.records.tests.importing_files import (
    bundle,
    entry,
    error,
    observation,
    patient,
    run,
    summary,
    write_json,
)
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

LICENCE = "urn:oid:2.16.840.1.113883.4.3.25"
PASSPORT = "http://hl7.org/fhir/sid/passport-USA"
CONFLICT = (
    "Held for review: an identifier is the same as another patient's, but the name, birth "
    "date or sex differ. Nothing was stored under either patient. Staff decide in the console "
    "(Imports, Patient matches)."
)
SAME_DEMOGRAPHICS = (
    "Held for review: same name and birth date as a patient of the clinic, but no identifier "
    "in common. Staff decide in the console (Imports, Patient matches)."
)
ONE_PATIENT_READ = {"Observation": 1, "Patient": 1}


def licence(value: str = "S99912345") -> dict[str, str]:
    return {"system": LICENCE, "value": value}


def person(
    resource_id: str,
    identifiers: list[dict[str, Any]],
    *,
    given: str = "Pat",
    family: str = "Patient",
    birth_date: str = "1956-03-14",
    sex: str = "female",
) -> dict[str, Any]:
    resource = patient(
        resource_id, given=given, family=family, birth_date=birth_date, identifiers=identifiers
    )
    resource["gender"] = sex
    return resource


def export(folder: Path, name: str, *people: dict[str, Any]) -> Path:
    """A bundle of the people, each with one result of their own (`o-<id>`)."""
    entries = []
    for someone in people:
        entries += [
            entry(someone),
            entry(observation(f"o-{someone['id']}", f"urn:uuid:{someone['id']}")),
        ]
    return write_json(folder, name, bundle(*entries, kind="collection"))


@pytest.fixture
def pat(cast: Cast) -> Patient:
    """Pat, holding a driver's licence number and with her Patient resource stored."""
    PatientIdentifier.objects.create(patient=cast.patient, system=LICENCE, value="S99912345")
    return cast.patient


def pat_is_untouched(pat: Patient) -> None:
    pat.refresh_from_db()
    assert (pat.given_name, pat.family_name, pat.birth_date, pat.sex) == (
        "Pat",
        "Patient",
        datetime.date(1956, 3, 14),
        "female",
    )
    assert ClinicalResource.objects.filter(patient=pat).count() == 0


@dataclass(frozen=True)
class Collision:
    name: str
    identifiers: list[dict[str, Any]]
    changes: dict[str, str]


MRN = "mrn"
HELD_COLLISIONS = [
    Collision("same licence, other name", [licence()], {"given": "Paula"}),
    Collision("same licence, other family name", [licence()], {"family": "Other"}),
    Collision("same licence, other birth date", [licence()], {"birth_date": "1956-03-15"}),
    Collision("same licence, other sex", [licence()], {"sex": "male"}),
    Collision("same MRN, other birth date", [{"system": MRN}], {"birth_date": "1960-01-01"}),
    Collision("same MRN, other name", [{"system": MRN}], {"given": "Paula"}),
    Collision("same MRN, other sex", [{"system": MRN}], {"sex": "male"}),
    Collision(
        "same licence, another of the clinic's MRNs",
        [licence(), {"system": MRN, "value": "RFC-9999"}],
        {},
    ),
]


def with_mrn(cast: Cast, identifiers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`{"system": MRN}` becomes Pat's MRN in the clinic's system (or the value it gives)."""
    return [
        {"system": mrn_system(cast.clinic), "value": i.get("value", cast.patient.mrn)}
        if i["system"] == MRN
        else i
        for i in identifiers
    ]


@pytest.mark.parametrize("collision", HELD_COLLISIONS, ids=lambda c: c.name)
def test_an_identifier_with_contradicting_demographics_waits_for_review(
    cast: Cast, pat: Patient, tmp_path: Path, collision: Collision
) -> None:
    someone = person("x1", with_mrn(cast, collision.identifiers), **collision.changes)
    result = run(cast.clinic, export(tmp_path, "x.json", someone))
    assert result == summary(
        patients=1,
        resources=ONE_PATIENT_READ,
        skipped=2,
        waiting_for_review=1,
        errors=[error("x.json", "entry 1", CONFLICT)],
    )
    review = PatientMatchReview.objects.get()
    assert (review.candidate, review.status, review.incoming["reason"]) == (
        pat,
        MatchStatus.PENDING,
        "identifier_conflict",
    )
    assert [r["id"] for r in review.resources] == ["x1", "o-x1"]
    pat_is_untouched(pat)
    assert Patient.objects.filter(clinic=cast.clinic).count() == 6
    assert ClinicalResource.objects.count() == 0


MERGED_COLLISIONS = [
    Collision("same MRN, all the same", [{"system": MRN}], {}),
    Collision("same MRN, name in other letter case", [{"system": MRN}], {"given": "PAT"}),
    Collision("same licence, all the same", [licence()], {}),
    Collision("same licence, sex unknown", [licence()], {"sex": "unknown"}),
    Collision(
        "same licence and a new passport", [licence(), {"system": PASSPORT, "value": "P1"}], {}
    ),
]


@pytest.mark.parametrize("collision", MERGED_COLLISIONS, ids=lambda c: c.name)
def test_an_identifier_with_agreeing_demographics_is_the_same_patient(
    cast: Cast, pat: Patient, tmp_path: Path, collision: Collision
) -> None:
    someone = person("x1", with_mrn(cast, collision.identifiers), **collision.changes)
    result = run(cast.clinic, export(tmp_path, "x.json", someone))
    assert result == summary(patients=1, resources=ONE_PATIENT_READ, created=2)
    assert set(ClinicalResource.objects.values_list("fhir_id", "patient")) == {
        (str(pat.pk), pat.pk),
        ("o-x1", pat.pk),
    }
    assert PatientMatchReview.objects.count() == 0
    pat.refresh_from_db()
    assert (pat.given_name, pat.birth_date, pat.sex) == (
        "Pat",
        datetime.date(1956, 3, 14),
        "female",
    )


def test_same_demographics_without_an_identifier_waits_for_review(
    cast: Cast, pat: Patient, tmp_path: Path
) -> None:
    result = run(cast.clinic, export(tmp_path, "x.json", person("x1", [])))
    assert result == summary(
        patients=1,
        resources=ONE_PATIENT_READ,
        skipped=2,
        waiting_for_review=1,
        errors=[error("x.json", "entry 1", SAME_DEMOGRAPHICS)],
    )
    assert PatientMatchReview.objects.get().incoming["reason"] == "same_demographics"
    pat_is_untouched(pat)


def test_the_same_value_in_another_system_is_no_match(
    cast: Cast, pat: Patient, tmp_path: Path
) -> None:
    # Pat's licence number and MRN, but as a passport and another hospital's numbers.
    identifiers = [
        {"system": PASSPORT, "value": "S99912345"},
        {"system": "urn:other-hospital", "value": pat.mrn},
    ]
    someone = person("x1", identifiers, given="Nora", family="Other", birth_date="1970-05-05")
    result = run(cast.clinic, export(tmp_path, "x.json", someone))
    assert result == summary(patients=1, resources=ONE_PATIENT_READ, created=2)
    nora = Patient.objects.get(given_name="Nora")
    assert set(ClinicalResource.objects.filter(patient=nora).values_list("fhir_id", flat=True)) == {
        str(nora.pk),
        "o-x1",
    }
    assert PatientMatchReview.objects.count() == 0
    pat_is_untouched(pat)


def test_identifiers_of_two_patients_that_both_agree_wait_for_review(
    cast: Cast, pat: Patient, tmp_path: Path
) -> None:
    twin = Patient.objects.create(
        clinic=cast.clinic,
        mrn="RFC-2000",
        given_name="Pat",
        family_name="Patient",
        birth_date=pat.birth_date,
        sex="female",
    )
    PatientIdentifier.objects.create(patient=twin, system=PASSPORT, value="P-2")
    someone = person("x1", [licence(), {"system": PASSPORT, "value": "P-2"}])
    result = run(cast.clinic, export(tmp_path, "x.json", someone))
    assert (result["waiting_for_review"], result["created"]) == (1, 0)
    assert PatientMatchReview.objects.get().incoming["reason"] == "two_patients"


def test_a_change_of_name_follows_the_mrn_only_when_the_record_lists_the_old_name(
    cast: Cast, pat: Patient, tmp_path: Path
) -> None:
    married = person("x1", with_mrn(cast, [{"system": MRN}]), family="Newman")
    married["name"].append({"use": "maiden", "family": "Patient", "given": ["Pat"]})
    result = run(cast.clinic, export(tmp_path, "x.json", married))
    assert (result["created"], result["waiting_for_review"]) == (2, 0)
    pat.refresh_from_db()
    assert (pat.given_name, pat.family_name) == ("Pat", "Newman")
    event = AuditEvent.objects.get(object_type="patient", action="update")
    assert (event.patient, event.acting_as) == (pat, "system")
    assert ClinicalResource.objects.get(fhir_id="o-x1").patient == pat


def test_an_old_name_marked_by_an_ended_period_also_follows_the_mrn(
    cast: Cast, pat: Patient, tmp_path: Path
) -> None:
    married = person("x1", with_mrn(cast, [{"system": MRN}]), family="Newman")
    ended = {"end": "2001-06-01"}
    married["name"].append({"family": "Patient", "given": ["Pat"], "period": ended})
    assert run(cast.clinic, export(tmp_path, "x.json", married))["waiting_for_review"] == 0
    pat.refresh_from_db()
    assert pat.family_name == "Newman"


OTHER_NAMES = [
    pytest.param([], id="no other name"),
    pytest.param([{"use": "usual", "family": "Patient", "given": ["Pat"]}], id="usual name"),
    pytest.param([{"use": "old", "family": "Patient", "given": ["Bea"]}], id="another old name"),
]


@pytest.mark.parametrize("other_names", OTHER_NAMES)
def test_a_new_name_without_the_stored_one_as_former_waits_for_review(
    cast: Cast, pat: Patient, tmp_path: Path, other_names: list[dict[str, Any]]
) -> None:
    renamed = person("x1", with_mrn(cast, [{"system": MRN}]), family="Newman")
    renamed["name"] += other_names
    result = run(cast.clinic, export(tmp_path, "x.json", renamed))
    assert result["waiting_for_review"] == 1
    pat_is_untouched(pat)


def test_two_people_of_one_file_sharing_a_licence_are_not_merged(
    cast: Cast, tmp_path: Path
) -> None:
    first = person("a1", [licence("D-1")], given="Ann", family="Lee", birth_date="1970-01-01")
    second = person(
        "b1", [licence("D-1")], given="Bob", family="Ray", birth_date="1980-02-02", sex="male"
    )
    path = export(tmp_path, "two.json", first, second)
    result = run(cast.clinic, path)
    assert result == summary(
        patients=2,
        resources={"Observation": 2, "Patient": 2},
        created=2,
        skipped=2,
        waiting_for_review=1,
        errors=[error("two.json", "entry 3", CONFLICT)],
    )
    ann = Patient.objects.get(given_name="Ann")
    assert (ann.family_name, ann.birth_date, ann.sex) == (
        "Lee",
        datetime.date(1970, 1, 1),
        "female",
    )
    assert set(ClinicalResource.objects.values_list("fhir_id", "patient")) == {
        (str(ann.pk), ann.pk),
        ("o-a1", ann.pk),
    }
    review = PatientMatchReview.objects.get()
    assert (review.candidate, review.incoming["given_name"]) == (ann, "Bob")
    # Importing the file again adds nothing and does not queue Bob twice.
    again = run(cast.clinic, path)
    assert (
        again["unchanged"],
        again["waiting_for_review"],
        PatientMatchReview.objects.count(),
    ) == (
        2,
        1,
        1,
    )
    # Staff say they are two people: Bob gets his own patient and his own record.
    decide_match_review(
        actor=cast.clinic_admin, clinic=cast.clinic, review_id=review.pk, same_person=False
    )
    bob = Patient.objects.get(given_name="Bob")
    assert (bob.family_name, bob.birth_date, bob.sex) == ("Ray", datetime.date(1980, 2, 2), "male")
    assert set(ClinicalResource.objects.filter(patient=bob).values_list("fhir_id", flat=True)) == {
        str(bob.pk),
        "o-b1",
    }
    assert ClinicalResource.objects.filter(patient=ann).count() == 2


def test_the_same_person_twice_in_one_file_is_one_patient(cast: Cast, tmp_path: Path) -> None:
    twice = [person(i, [licence("D-7")], given="Ann", family="Lee") for i in ("a1", "a2")]
    result = run(cast.clinic, export(tmp_path, "twice.json", *twice))
    assert (result["errors"], result["waiting_for_review"]) == ([], 0)
    ann = Patient.objects.get(given_name="Ann")
    assert set(ClinicalResource.objects.filter(patient=ann).values_list("fhir_id", flat=True)) == {
        str(ann.pk),
        "o-a1",
        "o-a2",
    }


def test_a_clean_file_imported_twice_makes_no_duplicate_and_no_review(
    cast: Cast, pat: Patient, tmp_path: Path
) -> None:
    people = [
        person("a1", [licence("D-1")], given="Ann", family="Lee", birth_date="1970-01-01"),
        person("b1", [licence("D-2")], given="Bob", family="Ray", birth_date="1980-02-02"),
        person("p1", with_mrn(cast, [{"system": MRN}])),
    ]
    path = export(tmp_path, "clean.json", *people)
    assert run(cast.clinic, path)["created"] == 6
    again = run(cast.clinic, path)
    assert again == summary(patients=3, resources={"Observation": 3, "Patient": 3}, unchanged=6)
    assert Patient.objects.filter(given_name__in=["Ann", "Bob"]).count() == 2
    assert PatientMatchReview.objects.count() == 0


SYNTHEA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "synthea-r4"
ABDUL = "Abdul_Koepp_e925b0f3-8006-43f6-aa31-94bd215e55e7.json.gz"
ALEXIS = "Alexis_Toy_68cd1181-6359-4047-a77f-a165d7912480.json.gz"


@pytest.fixture
def synthea() -> Path:
    if not SYNTHEA.is_dir():
        pytest.skip(f"the shared reference data is not here ({SYNTHEA}): see shared/data/README.md")
    return SYNTHEA


def read_bundle(path: Path) -> dict[str, Any]:
    with gzip.open(path) as file:
        bundle_json: dict[str, Any] = json.load(file)
    return bundle_json


def synthea_patient(bundle_json: dict[str, Any]) -> dict[str, Any]:
    return next(
        e["resource"] for e in bundle_json["entry"] if e["resource"]["resourceType"] == "Patient"
    )


def test_two_synthea_patients_sharing_a_licence_stay_two_people(
    cast: Cast, synthea: Path, tmp_path: Path
) -> None:
    """The case that was found: two real-shaped records in one file, one licence number."""
    shared = sorted(p for p in synthea.iterdir() if not p.name[0].isupper())
    abdul, alexis = read_bundle(synthea / ABDUL), read_bundle(synthea / ALEXIS)
    licence_of_abdul = next(
        i for i in synthea_patient(abdul)["identifier"] if i["system"] == LICENCE
    )
    synthea_patient(alexis)["identifier"].append(licence_of_abdul)
    both = bundle(*abdul["entry"], *alexis["entry"], kind="collection")
    shared_ids = {"Organization", "Practitioner"}
    own = {
        name: {
            e["resource"]["id"]
            for e in document["entry"]
            if e["resource"]["resourceType"] not in shared_ids | {"Patient"}
        }
        for name, document in (("abdul", abdul), ("alexis", alexis))
    }
    result = run(cast.clinic, *shared, write_json(tmp_path, "both.json", both))
    assert (result["patients"], result["waiting_for_review"]) == (2, 1)
    assert result["skipped"] == len(own["alexis"]) + 1
    koepp = Patient.objects.get(family_name="Koepp")
    assert (koepp.given_name, koepp.birth_date, koepp.sex) == (
        "Abdul",
        datetime.date(1956, 8, 3),
        "male",
    )
    assert not Patient.objects.filter(family_name="Toy").exists()
    stored = set(ClinicalResource.objects.filter(patient=koepp).values_list("fhir_id", flat=True))
    assert stored == own["abdul"] | {str(koepp.pk)}
    review = PatientMatchReview.objects.get()
    assert (review.candidate, review.incoming["family_name"]) == (koepp, "Toy")
    decide_match_review(
        actor=cast.clinic_admin, clinic=cast.clinic, review_id=review.pk, same_person=False
    )
    toy = Patient.objects.get(family_name="Toy")
    assert (toy.given_name, toy.birth_date) == ("Alexis", datetime.date(2018, 6, 22))
    mine = set(ClinicalResource.objects.filter(patient=toy).values_list("fhir_id", flat=True))
    assert mine == own["alexis"] | {str(toy.pk)}
    assert ClinicalResource.objects.filter(patient=koepp).count() == len(own["abdul"]) + 1
