"""Patient matching: by identifier or clinic MRN; same name and birth date waits for staff."""

from __future__ import annotations

import datetime

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.patients.models import Patient, PatientIdentifier
from carebridge.records.identifiers import mrn_system
from carebridge.records.importing.reviews import ReviewAlreadyDecidedError, decide_match_review
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

pytestmark = pytest.mark.django_db

HELD = (
    "Held for review: same name and birth date as a patient of the clinic, but no identifier "
    "in common. Staff decide in the console (Imports, Patient matches)."
)


def pat_bundle(identifiers, resource_id="ehr-9"):
    """An export of Pat Patient (the cast's patient), with the given identifiers."""
    person = patient(
        resource_id, given="Pat", family="Patient", birth_date="1956-03-14", identifiers=identifiers
    )
    return bundle(entry(person), entry(observation("o1", f"urn:uuid:{resource_id}")))


def test_a_known_identifier_matches_the_patient(cast, tmp_path):
    PatientIdentifier.objects.create(patient=cast.patient, system="urn:ehr", value="E-77")
    identifiers = [{"system": "urn:ehr", "value": "E-77"}, {"system": "urn:payer", "value": "M-1"}]
    result = run(cast.clinic, write_json(tmp_path, "pat.json", pat_bundle(identifiers)))
    assert result == summary(patients=1, resources={"Observation": 1, "Patient": 1}, created=2)
    assert ClinicalResource.objects.get(fhir_id="o1").patient == cast.patient
    assert ClinicalResource.objects.get(resource_type="Patient").fhir_id == str(cast.patient.pk)
    # The new identifier is learnt, so the next export matches by it too.
    assert set(cast.patient.identifiers.values_list("system", "value")) == {
        ("urn:ehr", "E-77"),
        ("urn:payer", "M-1"),
    }
    assert Patient.objects.filter(given_name="Pat").count() == 1


def test_the_clinic_mrn_system_matches_by_mrn(cast, tmp_path):
    identifiers = [{"system": mrn_system(cast.clinic), "value": cast.patient.mrn}]
    result = run(cast.clinic, write_json(tmp_path, "pat.json", pat_bundle(identifiers)))
    assert (result["created"], result["errors"]) == (2, [])
    assert ClinicalResource.objects.get(fhir_id="o1").patient == cast.patient


def test_an_mrn_value_in_another_system_is_not_a_match(cast, tmp_path):
    # Same value as Pat's MRN, but another system's, and another person entirely.
    identifiers = [{"system": "urn:other-hospital", "value": cast.patient.mrn}]
    document = bundle(entry(patient("x1", identifiers=identifiers)))
    run(cast.clinic, write_json(tmp_path, "x.json", document))
    new = Patient.objects.get(given_name="Ada")
    assert new != cast.patient and new.mrn.startswith("IMP-")


def test_same_name_and_birth_date_without_identifier_waits_for_review(cast, tmp_path):
    path = write_json(tmp_path, "pat.json", pat_bundle([{"system": "urn:ehr", "value": "E-1"}]))
    result = run(cast.clinic, path)
    assert result == summary(
        patients=1,
        resources={"Observation": 1, "Patient": 1},
        skipped=2,
        waiting_for_review=1,
        errors=[error("pat.json", "entry 1", HELD)],
    )
    review = PatientMatchReview.objects.get()
    assert (review.candidate, review.status, review.source) == (cast.patient, "pending", "pat.json")
    assert review.incoming == {
        "given_name": "Pat",
        "family_name": "Patient",
        "birth_date": "1956-03-14",
        "sex": "female",
        "identifiers": [{"system": "urn:ehr", "value": "E-1"}],
        "clinic_mrn": "",
        "mrn": "E-1",
        "reference": "Patient/ehr-9",
        "reason": "same_demographics",
    }
    assert [r["resourceType"] for r in review.resources] == ["Patient", "Observation"]
    assert review.resources[1]["subject"] == {"reference": "Patient/ehr-9"}
    assert ClinicalResource.objects.filter(fhir_id="o1").count() == 0
    # Importing the file again does not queue the same patient twice.
    again = run(cast.clinic, path)
    assert again["errors"] == [
        error(
            "pat.json", "entry 1", "Already waiting for a patient-match review: not imported again."
        )
    ]
    assert PatientMatchReview.objects.count() == 1


def held_review(cast, tmp_path) -> PatientMatchReview:
    run(
        cast.clinic,
        write_json(tmp_path, "pat.json", pat_bundle([{"system": "urn:ehr", "value": "E-1"}])),
    )
    return PatientMatchReview.objects.get()


def test_same_person_adds_identifiers_and_records_to_the_candidate(cast, tmp_path):
    review = held_review(cast, tmp_path)
    decide_match_review(
        actor=cast.clinic_admin, clinic=cast.clinic, review_id=review.pk, same_person=True
    )
    review.refresh_from_db()
    assert (review.status, review.decided_by, review.resources) == (
        MatchStatus.MERGED,
        cast.clinic_admin,
        [],
    )
    obs = ClinicalResource.objects.get(fhir_id="o1")
    assert (obs.patient, obs.resource["subject"]) == (
        cast.patient,
        {"reference": f"Patient/{cast.patient.pk}"},
    )
    assert ClinicalResource.objects.get(resource_type="Patient").fhir_id == str(cast.patient.pk)
    assert list(cast.patient.identifiers.values_list("value", flat=True)) == ["E-1"]
    event = AuditEvent.objects.get(object_type="match_review")
    assert (event.action, event.actor, event.patient, event.object_id) == (
        "update",
        cast.clinic_admin,
        cast.patient,
        str(review.pk),
    )
    # The next import of that file matches by the identifier learnt.
    again = run(cast.clinic, tmp_path / "pat.json")
    assert (again["unchanged"], again["errors"]) == (2, [])


def test_different_person_creates_a_new_patient(cast, tmp_path):
    review = held_review(cast, tmp_path)
    decide_match_review(
        actor=cast.clinic_admin, clinic=cast.clinic, review_id=review.pk, same_person=False
    )
    new = Patient.objects.exclude(pk=cast.patient.pk).get(given_name="Pat")
    assert (new.birth_date, new.mrn, new.clinic) == (datetime.date(1956, 3, 14), "E-1", cast.clinic)
    assert ClinicalResource.objects.get(fhir_id="o1").patient == new
    assert PatientMatchReview.objects.get().status == MatchStatus.SEPARATE
    assert list(
        AuditEvent.objects.filter(patient=new)
        .order_by("sequence")
        .values_list("action", "object_type")
    ) == [("create", "patient"), ("import", "record"), ("update", "match_review")]
    with pytest.raises(ReviewAlreadyDecidedError):
        decide_match_review(
            actor=cast.clinic_admin, clinic=cast.clinic, review_id=review.pk, same_person=True
        )
    assert Patient.objects.filter(given_name="Pat").count() == 2
