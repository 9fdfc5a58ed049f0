"""Results grouped as the clinic ordered them: a report (or panel) is one row with its flagged
results named, lone results stand alone, newest first; opening a report marks it and its parts
seen; the home page counts reports; the search by test name; a bounded number of queries.

Cast: Pat Patient (the patient), Sam Second (another patient: his report is a 404 to Pat), Cora
Caregiver (every scope: the same grouping, never what is held), Abe Appointments (no record).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditEvent
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast
from carebridge.testing.records import (
    LOINC,
    at,
    coded,
    glucose,
    lab_observation,
    next_id,
    store,
    subject,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)
RESULTS = "/record/results/"


def day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def table_rows(response: Any) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def row_names(response: Any) -> list[str]:
    """The name each row of the list links to."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def page_text(response: Any) -> str:
    html = response.content.decode().split('<div class="record-content">', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", html.split("</main>", 1)[0]).split())


def report(patient: Patient, name: str, results: list[dict[str, Any]], when: datetime.date):
    return {
        "resourceType": "DiagnosticReport",
        "id": next_id("report"),
        "status": "final",
        "code": coded(LOINC, "58410-2", name),
        "subject": subject(patient),
        "effectiveDateTime": at(when),
        "issued": at(when, 15),
        "result": [{"reference": f"Observation/{result['id']}"} for result in results],
    }


def blood_count(patient: Patient, when: datetime.date, parts: int = 26) -> list[dict[str, Any]]:
    """A complete blood count of `parts` results: the 4th is low, the 10th high, the rest normal."""
    flags = {3: ("L", 3.1), 9: ("H", 480.0)}
    results = []
    for n in range(parts):
        flag, value = flags.get(n, ("N", 5.0))
        results.append(
            lab_observation(
                patient,
                code=f"9{n:03d}-0",
                display=f"Count part {n + 1}",
                value=value,
                unit="10*3/uL",
                low=4.0,
                high=11.0,
                day=when,
                interpretation=flag,
            )
        )
    return [*results, report(patient, "Complete blood count", results, when)]


def test_a_blood_count_of_26_results_is_one_row_naming_the_2_that_need_attention(
    cast: Cast, patient_client
):
    store(cast.patient, *blood_count(cast.patient, YESTERDAY))
    store(cast.patient, glucose(cast.patient, TODAY - datetime.timedelta(days=3), 90))
    response = patient_client.get(RESULTS)
    assert table_rows(response) == [
        f"Complete blood count New {day(YESTERDAY)} 26 results "
        "2 need attention: Count part 4 ▼ Low Count part 10 ▲ High",
        f"Glucose New {day(TODAY - datetime.timedelta(days=3))} 90 mg/dL "
        "Normal range: 70 to 99 mg/dL Normal",
    ]


def test_groups_are_newest_first_and_a_lone_result_is_its_own_group(cast: Cast, patient_client):
    old = TODAY - datetime.timedelta(days=40)
    store(cast.patient, *blood_count(cast.patient, old, parts=3))
    store(cast.patient, glucose(cast.patient, TODAY - datetime.timedelta(days=20), 90))
    store(cast.patient, *blood_count(cast.patient, YESTERDAY, parts=2))
    assert row_names(patient_client.get(RESULTS)) == [
        "Complete blood count",
        "Glucose",
        "Complete blood count",
    ]


def test_a_panels_parts_are_one_group_under_the_panel(cast: Cast, patient_client):
    parts = [glucose(cast.patient, YESTERDAY, 90), glucose(cast.patient, YESTERDAY, 150)]
    parts[1]["interpretation"] = [coded("x", "H", "H")]
    panel = {
        "resourceType": "Observation",
        "id": next_id("panel"),
        "status": "final",
        "category": parts[0]["category"],
        "code": coded(LOINC, "24323-8", "Glucose tolerance panel"),
        "subject": subject(cast.patient),
        "effectiveDateTime": at(YESTERDAY),
        "hasMember": [{"reference": f"Observation/{part['id']}"} for part in parts],
    }
    stored = store(cast.patient, *parts, panel)
    response = patient_client.get(RESULTS)
    assert table_rows(response) == [
        f"Glucose tolerance panel New {day(YESTERDAY)} 2 results 1 needs attention: Glucose ▲ High"
    ]
    assert f'href="/record/results/{stored[2].pk}/"' in response.content.decode()


def test_opening_a_report_marks_it_and_every_part_seen_in_one_audited_view(
    cast: Cast, patient_client
):
    *parts, cbc = store(cast.patient, *blood_count(cast.patient, YESTERDAY, parts=5))
    with CaptureQueriesContext(connection) as queries:
        response = patient_client.get(f"{RESULTS}reports/{cbc.pk}/")
    # Units, and the ranges made from the lab's numbers, as people write them.
    assert table_rows(response)[0] == "Count part 1 New 5 10³/µL 4 to 11 10³/µL Normal"
    updates = [
        q["sql"] for q in queries if q["sql"].startswith('UPDATE "records_clinicalresource"')
    ]
    assert len(updates) == 1
    unseen = ClinicalResource.objects.filter(pk__in=[cbc.pk, *(p.pk for p in parts)])
    assert unseen.filter(seen_at__isnull=True).count() == 0
    event = AuditEvent.objects.get(object_type="result")
    assert (event.action, event.object_id, event.patient) == ("view", str(cbc.pk), cast.patient)
    assert "New" not in table_rows(patient_client.get(RESULTS))[0]


def test_a_caregiver_sees_the_same_groups_and_marks_nothing_seen(cast: Cast):
    *_parts, cbc = store(cast.patient, *blood_count(cast.patient, YESTERDAY, parts=3))
    assert cast.proxy_cast is not None
    cora = client_for(cast.proxy_cast.full_caregiver, acting_for=cast.patient)
    assert table_rows(cora.get(RESULTS)) == [
        f"Complete blood count New {day(YESTERDAY)} 3 results None flagged"
    ]
    assert cora.get(f"{RESULTS}reports/{cbc.pk}/").status_code == 200
    assert ClinicalResource.objects.filter(pk=cbc.pk, seen_at__isnull=True).exists()


def test_held_parts_stay_hidden_from_the_group(cast: Cast, patient_client):
    shown = glucose(cast.patient, YESTERDAY, 90)
    cast.clinic.held_result_categories = ["pathology"]
    cast.clinic.save()
    hidden = glucose(cast.patient, YESTERDAY, 300) | {
        "category": [{"coding": [{"code": "pathology"}]}]
    }
    hidden["category"][0]["coding"][0]["system"] = (
        "http://terminology.hl7.org/CodeSystem/observation-category"
    )
    store(
        cast.patient, shown, hidden, report(cast.patient, "Mixed panel", [shown, hidden], YESTERDAY)
    )
    assert table_rows(patient_client.get(RESULTS)) == [
        f"Mixed panel New {day(YESTERDAY)} 1 result None flagged"
    ]


def test_another_patients_report_is_404(cast: Cast, patient_client):
    *_parts, sams = store(cast.second_patient, *blood_count(cast.second_patient, YESTERDAY, 2))
    assert patient_client.get(f"{RESULTS}reports/{sams.pk}/").status_code == 404
    assert ClinicalResource.objects.get(pk=sams.pk).seen_at is None


def test_a_caregiver_without_results_gets_404(cast: Cast):
    store(cast.patient, *blood_count(cast.patient, YESTERDAY, parts=2))
    assert cast.proxy_cast is not None
    abe = client_for(cast.proxy_cast.appointments_caregiver, acting_for=cast.patient)
    assert abe.get(RESULTS).status_code == 404


def home_results(client: Any) -> str:
    html = client.get(reverse("home:home")).content.decode()
    part = html.split(">Test results</h2>", 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def test_the_home_page_counts_new_reports_not_their_parts(cast: Cast, patient_client):
    store(cast.patient, *blood_count(cast.patient, YESTERDAY))
    store(cast.patient, glucose(cast.patient, YESTERDAY, 90))
    assert home_results(patient_client) == ("You have 2 new test results. See all test results")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("blood COUNT", ["Complete blood count"]),
        ("count part 7", ["Complete blood count"]),
        ("gluc", ["Glucose"]),
    ],
)
def test_the_search_matches_a_test_or_report_name_in_any_case(
    cast: Cast, patient_client, words: str, expected: list[str]
):
    store(cast.patient, *blood_count(cast.patient, YESTERDAY, parts=8))
    store(cast.patient, glucose(cast.patient, YESTERDAY, 90))
    assert row_names(patient_client.get(RESULTS, {"q": words})) == expected


def test_a_search_that_finds_nothing_says_so_plainly(cast: Cast, patient_client):
    store(cast.patient, glucose(cast.patient, YESTERDAY, 90))
    response = patient_client.get(RESULTS, {"q": "ferritin"})
    assert "<tbody>" not in response.content.decode()
    assert "No results match “ferritin”. Check the spelling, or try part of the test's name." in (
        page_text(response).replace("&#x27;", "'")
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.text(max_size=120))
def test_any_search_words_get_a_page_never_an_error(cast: Cast, patient_client, words: str):
    assert patient_client.get(RESULTS, {"q": words}).status_code == 200


def test_the_list_costs_the_same_queries_for_3_or_60_reports(cast: Cast, patient_client):
    def add_reports(count: int) -> None:
        resources = []
        for n in range(count):
            resources.extend(blood_count(cast.patient, TODAY - datetime.timedelta(days=n), 3))
        store(cast.patient, *resources)

    def queries() -> int:
        patient_client.get(RESULTS)
        with CaptureQueriesContext(connection) as captured:
            assert patient_client.get(RESULTS).status_code == 200
        return len(captured)

    add_reports(3)
    few = queries()
    add_reports(57)
    assert queries() == few
    response = patient_client.get(RESULTS, {"page": 3})
    assert len(table_rows(response)) == 10
    assert "Page 3 of 3" in page_text(response)


TRENT = "Trent_Jaskolski_75b8811d-a358-47f0-8a3d-950b70573f8e.json.gz"
BLOOD_COUNT = "Complete blood count (hemogram) panel - Blood by Automated count"


def test_a_synthea_blood_count_is_one_group_with_units_for_people(cast: Cast, tmp_path):
    from zoneinfo import ZoneInfo

    from carebridge.records.scope import RecordScope
    from carebridge.records.selectors.groups import list_group_keys, result_groups
    from carebridge.records.tests.importing_files import run
    from carebridge.testing.shared_data import synthea_or_skip

    bundle = synthea_or_skip() / TRENT
    (tmp_path / TRENT).write_bytes(bundle.read_bytes())
    run(cast.clinic, tmp_path)
    trent = Patient.objects.get(family_name="Jaskolski")
    scope = RecordScope.whole(trent)
    keys = list_group_keys(scope)
    cbc_keys = [key for key in keys if key.name == BLOOD_COUNT]
    # Every blood count of his is one group of its 11 results; none of them stands alone.
    assert {len(key.member_pks) for key in cbc_keys} == {11}
    lone = {key.name for key in keys if key.kind == "result"}
    assert "Platelets [#/volume] in Blood by Automated count" not in lone
    (first,) = result_groups(scope, cbc_keys[:1], ZoneInfo("UTC"))
    assert [row.unit for row in first.rows][:3] == ["10³/µL", "10⁶/µL", "g/dL"]


def test_opening_a_panel_shows_its_parts_and_marks_them_seen(cast: Cast, patient_client):
    parts = [glucose(cast.patient, YESTERDAY, 90), glucose(cast.patient, YESTERDAY, 150)]
    panel = {
        "resourceType": "Observation",
        "id": next_id("panel"),
        "status": "final",
        "category": parts[0]["category"],
        "code": coded(LOINC, "24323-8", "Glucose tolerance panel"),
        "subject": subject(cast.patient),
        "effectiveDateTime": at(YESTERDAY),
        "hasMember": [{"reference": f"Observation/{part['id']}"} for part in parts],
    }
    *stored, panel_row = store(cast.patient, *parts, panel)
    response = patient_client.get(f"{RESULTS}{panel_row.pk}/")
    assert table_rows(response) == [
        "Glucose New 90 mg/dL 70 to 99 mg/dL Normal",
        "Glucose New 150 mg/dL 70 to 99 mg/dL ▲ High",
    ]
    rows = ClinicalResource.objects.filter(pk__in=[panel_row.pk, *(row.pk for row in stored)])
    assert rows.filter(seen_at__isnull=True).count() == 0
    assert AuditEvent.objects.filter(object_type="result").count() == 1


def test_a_row_says_when_the_clinician_added_a_comment(cast: Cast, patient_client):
    from carebridge.records.services import release_with_comment

    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    *parts, cbc = store(cast.patient, *blood_count(cast.patient, YESTERDAY, parts=2))
    (lone,) = store(cast.patient, glucose(cast.patient, TODAY - datetime.timedelta(days=3), 90))
    release_with_comment(
        actor=cast.clinician,
        clinic=cast.clinic,
        resource=parts[1],
        resource_ids=[cbc.pk, *(part.pk for part in parts), lone.pk],
        comment="Nothing to worry about.",
    )
    rows = table_rows(patient_client.get(RESULTS))
    assert rows[0] == (
        f"Complete blood count New The clinician added a comment: open it to read it. "
        f"{day(YESTERDAY)} 2 results None flagged"
    )
    assert "comment" not in rows[1]
    assert "Nothing to worry about." not in patient_client.get(RESULTS).content.decode()
