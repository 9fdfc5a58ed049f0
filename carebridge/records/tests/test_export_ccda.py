"""The C-CDA download: valid CDA R2, with the right header, sections, entries and values."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from carebridge.audit.models import AuditEvent
from carebridge.records.exports.ccda import build_ccd
from carebridge.records.exports.selection import Selection
from carebridge.records.scope import RecordScope
from carebridge.records.services import store_resources
from carebridge.records.tests.page_checks import patient_with_glucose
from carebridge.testing import records

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).parent / "schemas" / "cda" / "cda.xsd"
NS = {"v3": "urn:hl7-org:v3", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
NOW = datetime.datetime(2026, 11, 22, 15, 30, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def parse(xml: bytes):
    return etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))


def assert_valid(schema, document) -> None:
    assert schema.validate(document), str(schema.error_log)


def section(document, loinc: str):
    found = document.xpath("//v3:section[v3:code/@code=$code]", namespaces=NS, code=loinc)
    assert len(found) == 1
    return found[0]


def test_pats_ccd_is_valid_cda(cast_with_records, schema):
    document = parse(build_ccd(RecordScope.whole(cast_with_records.patient), Selection(), NOW))
    assert_valid(schema, document)


def test_the_schema_rejects_elements_out_of_order(cast_with_records, schema):
    document = parse(build_ccd(RecordScope.whole(cast_with_records.patient), Selection(), NOW))
    title = document.find("v3:title", NS)
    document.remove(title)
    document.insert(0, title)
    assert not schema.validate(document)


def test_the_header_names_the_document_patient_and_clinic(cast_with_records):
    document = parse(build_ccd(RecordScope.whole(cast_with_records.patient), Selection(), NOW))
    templates = [
        (node.get("root"), node.get("extension")) for node in document.findall("v3:templateId", NS)
    ]
    assert templates == [
        ("2.16.840.1.113883.10.20.22.1.1", None),
        ("2.16.840.1.113883.10.20.22.1.1", "2015-08-01"),
        ("2.16.840.1.113883.10.20.22.1.2", None),
        ("2.16.840.1.113883.10.20.22.1.2", "2015-08-01"),
    ]
    code = document.find("v3:code", NS)
    assert (code.get("code"), code.get("codeSystem"), code.get("displayName")) == (
        "34133-9",
        "2.16.840.1.113883.6.1",
        "Summarization of Episode Note",
    )
    assert document.find("v3:realmCode", NS).get("code") == "US"
    assert document.find("v3:effectiveTime", NS).get("value") == "20261122153000+0000"
    role = document.find("v3:recordTarget/v3:patientRole", NS)
    assert role.find("v3:id", NS).get("extension") == "RFC-1001"
    patient = role.find("v3:patient", NS)
    assert [patient.findtext("v3:name/v3:given", namespaces=NS)] == ["Pat"]
    assert patient.findtext("v3:name/v3:family", namespaces=NS) == "Patient"
    assert patient.find("v3:administrativeGenderCode", NS).get("code") == "F"
    assert patient.find("v3:birthTime", NS).get("value") == "19560314"
    custodian = document.find(
        "v3:custodian/v3:assignedCustodian/v3:representedCustodianOrganization", NS
    )
    assert custodian.findtext("v3:name", namespaces=NS) == "Riverside Family Clinic"
    author = document.find("v3:author/v3:assignedAuthor", NS)
    assert author.findtext("v3:assignedAuthoringDevice/v3:softwareName", namespaces=NS) == (
        "Carebridge"
    )


def test_the_hba1c_result_has_its_value_loinc_code_flag_and_range(cast_with_records):
    document = parse(build_ccd(RecordScope.whole(cast_with_records.patient), Selection(), NOW))
    results = section(document, "30954-2")
    observations = results.xpath(".//v3:observation[v3:code/@code='4548-4']", namespaces=NS)
    # This year's and the one from two years ago.
    assert len(observations) == 2
    latest = observations[0]
    code = latest.find("v3:code", NS)
    assert (code.get("codeSystem"), code.get("displayName")) == (
        "2.16.840.1.113883.6.1",
        "Hemoglobin A1c",
    )
    value = latest.find("v3:value", NS)
    assert (value.get(f"{{{NS['xsi']}}}type"), value.get("value"), value.get("unit")) == (
        "PQ",
        "7.2",
        "%",
    )
    assert latest.find("v3:interpretationCode", NS).get("code") == "H"
    bounds = latest.find("v3:referenceRange/v3:observationRange/v3:value", NS)
    assert (bounds.find("v3:low", NS).get("value"), bounds.find("v3:high", NS).get("value")) == (
        "4",
        "5.6",
    )
    templates = [node.get("root") for node in latest.findall("v3:templateId", NS)]
    assert templates == ["2.16.840.1.113883.10.20.22.4.2", "2.16.840.1.113883.10.20.22.4.2"]
    cells = [cell.text for cell in results.find("v3:text/v3:table/v3:tbody/v3:tr", NS)]
    assert cells[:4] == ["Hemoglobin A1c", "7.2 %", "4 to 5.6 %", "▲ High"]


def test_every_ccd_section_has_its_template_code_and_entries(cast_with_records):
    document = parse(build_ccd(RecordScope.whole(cast_with_records.patient), Selection(), NOW))
    body = document.find("v3:component/v3:structuredBody", NS)
    sections = [
        (
            node.find("v3:code", NS).get("code"),
            node.findall("v3:templateId", NS)[1].get("root"),
            len(node.findall("v3:entry", NS)),
        )
        for node in body.findall("v3:component/v3:section", NS)
    ]
    assert sections == [
        ("48765-2", "2.16.840.1.113883.10.20.22.2.6.1", 1),
        ("10160-0", "2.16.840.1.113883.10.20.22.2.1.1", 2),
        ("11450-4", "2.16.840.1.113883.10.20.22.2.5.1", 2),
        ("47519-4", "2.16.840.1.113883.10.20.22.2.7.1", 1),
        ("30954-2", "2.16.840.1.113883.10.20.22.2.3.1", 3),
        ("8716-3", "2.16.840.1.113883.10.20.22.2.4.1", 2),
        ("11369-6", "2.16.840.1.113883.10.20.22.2.2.1", 1),
        ("46240-8", "2.16.840.1.113883.10.20.22.2.22.1", 1),
    ]
    problem = section(document, "11450-4").xpath(
        ".//v3:observation/v3:value[@code='38341003']", namespaces=NS
    )
    assert problem[0].get("codeSystem") == "2.16.840.1.113883.6.96"
    vaccine = section(document, "11369-6").find(".//v3:manufacturedMaterial/v3:code", NS)
    assert (vaccine.get("code"), vaccine.get("codeSystem")) == ("140", "2.16.840.1.113883.12.292")
    pressure = section(document, "8716-3").xpath(
        ".//v3:observation[v3:code/@code='8480-6']/v3:value/@value", namespaces=NS
    )
    assert pressure == ["128"]


def test_sam_is_not_in_pats_ccd(cast_with_records):
    xml = build_ccd(RecordScope.whole(cast_with_records.patient), Selection(), NOW).decode()
    assert "RFC-1002" not in xml and "Sam" not in xml
    assert cast_with_records.second_record.hba1c.fhir_id not in xml


def test_empty_and_left_out_sections_say_so(cast, schema):
    xml = build_ccd(
        RecordScope.whole(cast.patient), Selection(sections=("allergies", "immunizations")), NOW
    )
    document = parse(xml)
    assert_valid(schema, document)
    codes = [
        (
            node.find("v3:code", NS).get("code"),
            node.get("nullFlavor"),
            node.findtext("v3:text/v3:paragraph", namespaces=NS),
        )
        for node in document.findall(".//v3:section", NS)
    ]
    assert codes == [
        ("48765-2", "NI", "No information"),
        ("10160-0", "NI", "Not included: the patient chose to leave this out."),
        ("11450-4", "NI", "Not included: the patient chose to leave this out."),
        ("30954-2", "NI", "Not included: the patient chose to leave this out."),
        ("11369-6", "NI", "No information"),
    ]


def test_hostile_text_is_escaped_and_the_document_stays_valid(cast, schema):
    pat = cast.patient
    weird = records.lab_observation(
        pat,
        code="5778-6",
        display='Color <script>alert("x")</script> & \x01 "quoted"',
        value=1.0,
        unit="mm Hg",
        low=None,
        high=None,
        day=datetime.date(2026, 1, 5),
    )
    store_resources(clinic=pat.clinic, patient=pat, resources=[weird], source="test")
    document = parse(build_ccd(RecordScope.whole(pat), Selection(sections=("results",)), NOW))
    assert_valid(schema, document)
    assert document.xpath("//v3:script", namespaces=NS) == []
    row = section(document, "30954-2").find("v3:text/v3:table/v3:tbody/v3:tr", NS)
    cells = [node.text for node in row]
    assert cells[:2] == ['Color <script>alert("x")</script> &  "quoted"', "1 mm Hg"]
    value = section(document, "30954-2").find(".//v3:observation/v3:value", NS)
    assert (value.get(f"{{{NS['xsi']}}}type"), value.text) == ("ST", "1 mm Hg")


def test_the_ccd_costs_the_same_queries_for_10_and_500_observations(cast):
    counts = []
    for size in (10, 500):
        patient = patient_with_glucose(cast.clinic, size)
        with CaptureQueriesContext(connection) as queries:
            document = parse(build_ccd(RecordScope.whole(patient), Selection(), NOW))
        assert len(section(document, "30954-2").findall("v3:entry", NS)) == size
        counts.append(len(queries))
    # The clinic's first office, and the rows.
    assert counts == [2, 2]


def test_the_ccd_download_is_named_neutrally_and_audited(cast_with_records, patient_client, schema):
    response = patient_client.get(
        reverse("records:download"),
        {"format": "ccda", "include": "chosen", "sections": ["results", "problems"]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"].startswith('attachment; filename="health-record-')
    assert response["Content-Disposition"].endswith('.xml"')
    assert "no-store" in response["Cache-Control"]
    assert_valid(schema, parse(response.content))
    event = AuditEvent.objects.filter(action="export").get()
    assert (event.object_type, event.object_id, event.patient_id, event.actor_id) == (
        "record_download",
        "ccda prb,res",
        cast_with_records.patient.pk,
        cast_with_records.patient_user.pk,
    )
