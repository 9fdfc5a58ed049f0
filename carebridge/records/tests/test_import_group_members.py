"""A Group's members follow their patients' new ids: across files, and after a review.

Cast: Pat Patient is the clinic's patient that a look-alike in the files is held against;
Ada and Bea are new people the files bring.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from carebridge.patients.models import Patient
from carebridge.records.importing.pipeline import import_files
from carebridge.records.importing.readers import find_files
from carebridge.records.importing.reviews import decide_match_review
from carebridge.records.models import ClinicalResource, ImportJob, PatientMatchReview
from carebridge.records.tests.importing_files import (
    bundle,
    entry,
    error,
    patient,
    run,
    summary,
    write_json,
    write_ndjson,
)
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def group(group_id: str, *references: str) -> dict[str, Any]:
    return {
        "resourceType": "Group",
        "id": group_id,
        "type": "person",
        "actual": True,
        "member": [{"entity": {"reference": reference}} for reference in references],
    }


def members(group_id: str) -> list[str]:
    stored = ClinicalResource.objects.get(resource_type="Group", fhir_id=group_id)
    return [member["entity"]["reference"] for member in stored.resource["member"]]


def pat_lookalike() -> dict[str, Any]:
    """Same name and birth date as Pat, no identifier in common: held for review."""
    return patient("ehr-9", given="Pat", family="Patient", birth_date="1956-03-14")


def test_a_group_in_a_later_file_names_the_patients_by_their_new_ids(
    cast: Cast, tmp_path: Path
) -> None:
    patients = bundle(entry(patient("p1")), entry(patient("p2", given="Bea")), kind="collection")
    first = write_json(tmp_path, "1-patients.json", patients)
    second = write_json(tmp_path, "2-group.json", group("g1", "Patient/p1", "urn:uuid:p2"))
    result = run(cast.clinic, first, second)
    assert result["errors"] == []
    ada, bea = Patient.objects.get(given_name="Ada"), Patient.objects.get(given_name="Bea")
    assert members("g1") == [f"Patient/{ada.pk}", f"Patient/{bea.pk}"]


def test_an_id_two_files_give_to_different_patients_is_not_guessed(
    cast: Cast, tmp_path: Path
) -> None:
    first = write_json(tmp_path, "1-ada.json", patient("p1"))
    bea = patient("p1", given="Bea", identifiers=[{"system": "urn:other", "value": "B-1"}])
    second = write_json(tmp_path, "2-bea.json", bea)
    third = write_json(tmp_path, "3-group.json", group("g1", "Patient/p1"))
    run(cast.clinic, first, second, third)
    assert Patient.objects.filter(given_name__in=["Ada", "Bea"]).count() == 2
    assert members("g1") == ["Patient/p1"]


@pytest.mark.parametrize("same_person", [True, False], ids=["same person", "different person"])
def test_a_held_member_follows_the_staff_decision(
    cast: Cast, tmp_path: Path, same_person: bool
) -> None:
    document = bundle(
        entry(pat_lookalike()),
        entry(patient("p2", given="Bea")),
        entry(group("g1", "urn:uuid:ehr-9", "Patient/p2")),
        kind="collection",
    )
    run(cast.clinic, write_json(tmp_path, "all.json", document))
    bea = Patient.objects.get(given_name="Bea")
    # Until staff decide, the member is named as the file named it: no one's id.
    assert members("g1") == ["Patient/ehr-9", f"Patient/{bea.pk}"]
    review = PatientMatchReview.objects.get()
    decide_match_review(
        actor=cast.clinic_admin, clinic=cast.clinic, review_id=review.pk, same_person=same_person
    )
    pat = (
        cast.patient
        if same_person
        else Patient.objects.exclude(pk=cast.patient.pk).get(given_name="Pat")
    )
    assert members("g1") == [f"Patient/{pat.pk}", f"Patient/{bea.pk}"]
    assert ClinicalResource.objects.get(fhir_id="g1").version == 2


def test_a_bulk_export_group_follows_a_held_member_of_its_import_job(
    cast: Cast, tmp_path: Path
) -> None:
    write_ndjson(tmp_path, "Patient.ndjson", [pat_lookalike()])
    write_ndjson(tmp_path, "Group.ndjson", [group("g1", "Patient/ehr-9")])
    job = ImportJob.objects.create(
        clinic=cast.clinic, started_by=cast.clinic_admin, upload_path=str(tmp_path)
    )
    import_files(clinic=cast.clinic, files=find_files([tmp_path]), job=job)
    review = PatientMatchReview.objects.get()
    decide_match_review(
        actor=cast.clinic_admin, clinic=cast.clinic, review_id=review.pk, same_person=True
    )
    assert members("g1") == [f"Patient/{cast.patient.pk}"]


def test_a_group_naming_a_patient_that_was_not_imported_is_an_error(
    cast: Cast, tmp_path: Path
) -> None:
    broken = patient("p1")
    broken["birthDate"] = "1950-13-45"
    document = bundle(
        entry(group("g1", "urn:uuid:p1", "urn:uuid:p2")),
        entry(broken),
        entry(patient("p2", given="Bea")),
        kind="collection",
    )
    result = run(cast.clinic, write_json(tmp_path, "all.json", document))
    # The Group is stored after its members: it meets the failed one, and is not stored.
    assert result == summary(
        patients=2,
        resources={"Group": 1, "Patient": 2},
        created=1,
        skipped=2,
        errors=[
            error(
                "all.json",
                "entry 2",
                "Patient: 'birthDate' is not a full date (year, month and day).",
            ),
            error("all.json", "entry 2", "Nothing was imported for this patient (1 resource)."),
            error(
                "all.json",
                "entry 1",
                "Group: a reference in 'entity' points to an entry that is neither in this "
                "file nor already imported.",
            ),
            error(
                "all.json", "entry 1", "Nothing was imported from this group of 1 shared resource."
            ),
        ],
    )
    assert not ClinicalResource.objects.filter(resource_type="Group").exists()
    assert Patient.objects.filter(given_name="Bea").count() == 1
