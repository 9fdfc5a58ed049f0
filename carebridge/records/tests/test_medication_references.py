"""A medicine named by reference (contained, in the file, or stored) is named everywhere: the
index, the medicines page, the print-ready summary, the CCD, and the FHIR download, which
carries the Medication and what it points at."""

from __future__ import annotations

import datetime
import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from lxml import etree

from carebridge.records.exports.ccda import build_ccd
from carebridge.records.exports.fhir_bundle import bundle_chunks
from carebridge.records.exports.printable import build_summary
from carebridge.records.exports.selection import Selection
from carebridge.records.models import ClinicalResource
from carebridge.records.scope import RecordScope
from carebridge.records.services import store_resources
from carebridge.records.tests.importing_files import bundle, entry, patient, run, write_json

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 22, 15, 30, tzinfo=datetime.UTC)
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
NS = {"v3": "urn:hl7-org:v3"}


def medication(resource_id: str, code: str, name: str, **extra) -> dict:
    return {
        "resourceType": "Medication",
        "id": resource_id,
        "code": {"coding": [{"system": RXNORM, "code": code, "display": name}]},
        **extra,
    }


def request_for(resource_id: str, subject: str, medicine: str, **extra) -> dict:
    return {
        "resourceType": "MedicationRequest",
        "id": resource_id,
        "status": "active",
        "intent": "order",
        "subject": {"reference": subject},
        "authoredOn": "2026-10-01",
        "medicationReference": {"reference": medicine},
        **extra,
    }


@pytest.fixture
def pats_medicines(cast):
    """Pat's two requests: one for a stored Medication (made by a stored Organization), one
    for a Medication contained in the request."""
    pat, clinic = cast.patient, cast.clinic
    maker = {"resourceType": "Organization", "id": "maker", "name": "Acme Pharma"}
    stored = medication(
        "met",
        "860975",
        "Metformin 500 MG Oral Tablet",
        manufacturer={"reference": "Organization/maker"},
    )
    store_resources(clinic=clinic, patient=None, resources=[maker, stored], source="test")
    inside = request_for(
        "rx-lis",
        f"Patient/{pat.pk}",
        "#lis",
        contained=[medication("lis", "314076", "Lisinopril 10 MG Oral Tablet")],
    )
    requests = [request_for("rx-met", f"Patient/{pat.pk}", "Medication/met"), inside]
    store_resources(clinic=clinic, patient=pat, resources=requests, source="test")
    return pat


def index_of(fhir_id: str) -> tuple[str, str, str]:
    row = ClinicalResource.objects.get(fhir_id=fhir_id)
    return (row.code_system, row.code, row.code_display)


def test_the_index_names_a_stored_and_a_contained_medication(pats_medicines):
    assert index_of("rx-met") == (RXNORM, "860975", "Metformin 500 MG Oral Tablet")
    assert index_of("rx-lis") == (RXNORM, "314076", "Lisinopril 10 MG Oral Tablet")


def test_an_import_names_a_medication_given_by_urn_in_the_same_bundle(cast, tmp_path):
    document = bundle(
        entry(patient("p1")),
        entry(medication("asp", "243670", "Aspirin 81 MG Oral Tablet")),
        entry(request_for("rx-asp", "urn:uuid:p1", "urn:uuid:asp")),
    )
    result = run(cast.clinic, write_json(tmp_path, "a.json", document))
    assert (result["created"], result["errors"], result["warnings"]) == (3, [], [])
    assert index_of("rx-asp") == (RXNORM, "243670", "Aspirin 81 MG Oral Tablet")
    stored = ClinicalResource.objects.get(fhir_id="rx-asp").resource
    assert stored["medicationReference"] == {"reference": "Medication/asp"}


def test_a_medication_stored_after_its_requests_names_them(cast):
    pat, clinic = cast.patient, cast.clinic
    early = [
        request_for("rx-early", f"Patient/{pat.pk}", "Medication/late"),
        request_for("rx-other", f"Patient/{pat.pk}", "Medication/elsewhere"),
    ]
    store_resources(clinic=clinic, patient=pat, resources=early, source="first file")
    assert index_of("rx-early") == ("", "", "")
    late = medication("late", "197361", "Amlodipine 5 MG Oral Tablet")
    store_resources(clinic=clinic, patient=None, resources=[late], source="second file")
    assert index_of("rx-early") == (RXNORM, "197361", "Amlodipine 5 MG Oral Tablet")
    assert index_of("rx-other") == ("", "", "")
    # A changed Medication re-names them again; the request itself is not a new version.
    renamed = medication("late", "197361", "Amlodipine 5 MG Tablet")
    store_resources(clinic=clinic, patient=None, resources=[renamed], source="third file")
    assert index_of("rx-early") == (RXNORM, "197361", "Amlodipine 5 MG Tablet")
    assert ClinicalResource.objects.get(fhir_id="rx-early").version == 1


def test_a_medication_of_another_clinic_names_nothing_here(cast):
    pat = cast.patient
    store_resources(
        clinic=cast.clinic,
        patient=pat,
        resources=[request_for("rx-here", f"Patient/{pat.pk}", "Medication/same-id")],
        source="ours",
    )
    theirs = medication("same-id", "197361", "Amlodipine 5 MG Oral Tablet")
    store_resources(clinic=cast.other_clinic, patient=None, resources=[theirs], source="theirs")
    assert index_of("rx-here") == ("", "", "")


def test_a_reference_display_is_the_name_when_the_medication_is_not_there(cast):
    pat = cast.patient
    named = request_for("rx-x", f"Patient/{pat.pk}", "Medication/absent")
    named["medicationReference"]["display"] = "Insulin glargine"
    store_resources(clinic=cast.clinic, patient=pat, resources=[named], source="test")
    assert index_of("rx-x") == ("", "", "Insulin glargine")


def test_the_medicines_page_names_both_in_a_bounded_number_of_queries(
    pats_medicines, patient_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        html = patient_client.get(reverse("records:medications")).content.decode()
    assert "Metformin 500 MG Oral Tablet" in html
    assert "Lisinopril 10 MG Oral Tablet" in html
    assert "Medicine name not recorded" not in html


def test_the_printable_summary_and_the_ccd_name_both(pats_medicines):
    scope = RecordScope.whole(pats_medicines)
    summary = build_summary(scope, Selection())
    text = json.dumps([section.__dict__ for section in summary.sections], default=str)
    assert "Metformin 500 MG Oral Tablet" in text and "Not named" not in text
    document = etree.fromstring(build_ccd(scope, Selection(), NOW))
    materials = document.xpath("//v3:manufacturedMaterial/v3:code", namespaces=NS)
    assert sorted((code.get("code"), code.get("displayName")) for code in materials) == [
        ("314076", "Lisinopril 10 MG Oral Tablet"),
        ("860975", "Metformin 500 MG Oral Tablet"),
    ]


def test_the_fhir_download_carries_the_medication_and_its_maker_linked(pats_medicines):
    scope = RecordScope.whole(pats_medicines)
    downloaded = json.loads("".join(bundle_chunks(scope, Selection(), NOW)))
    # Entries hold the FHIR API's ids: name them by the stored ids they came from.
    stored = {
        str(api_id): f"{resource_type}/{fhir_id}"
        for resource_type, fhir_id, api_id in ClinicalResource.objects.values_list(
            "resource_type", "fhir_id", "api_id"
        )
    }
    entries = {
        stored.get(item["resource"]["id"], f"Patient/{item['resource']['id']}"): item
        for item in downloaded["entry"]
    }
    assert sorted(entries) == [
        "Medication/met",
        "MedicationRequest/rx-lis",
        "MedicationRequest/rx-met",
        "Organization/maker",
        f"Patient/{pats_medicines.pk}",
    ]
    base = "http://127.0.0.1:8000/fhir/"
    assert all(item["fullUrl"].startswith(base) for item in downloaded["entry"])
    request = entries["MedicationRequest/rx-met"]["resource"]
    medicine = request["medicationReference"]["reference"]
    assert base + medicine == entries["Medication/met"]["fullUrl"]
    made_by = entries["Medication/met"]["resource"]["manufacturer"]["reference"]
    assert base + made_by == entries["Organization/maker"]["fullUrl"]
    # A contained medicine stays inside its request.
    assert entries["MedicationRequest/rx-lis"]["resource"]["medicationReference"] == {
        "reference": "#lis"
    }


def test_the_migration_names_the_medicine_of_rows_indexed_before(cast):
    migration = importlib.import_module(
        "carebridge.records.migrations.0005_index_medicines_given_by_reference"
    )
    pat, clinic = cast.patient, cast.clinic
    early = request_for("rx-early", f"Patient/{pat.pk}", "Medication/late")
    store_resources(clinic=clinic, patient=pat, resources=[early], source="test")
    assert index_of("rx-early") == ("", "", "")
    late = medication("late", "197361", "Amlodipine 5 MG Oral Tablet")
    store_resources(clinic=clinic, patient=None, resources=[late], source="test")
    migration.index_medicines(django_apps, None)
    assert index_of("rx-early") == (RXNORM, "197361", "Amlodipine 5 MG Oral Tablet")
