"""The record's list sections: medications, allergies, immunizations, problems, procedures.

Exact values from Pat's sample record, empty states, audit events and query budgets. The care
team and care plans are in `test_sections_care.py`, visits and documents in
`test_sections_visits.py`.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.records.selectors.wording import calendar_day
from carebridge.records.tests.page_checks import (
    EMPTY_RECORD_NOTE,
    day,
    get,
    last_event,
    page_text,
    queries_for,
)
from carebridge.testing.records import CVX, RXNORM, SNOMED, coded, next_id, store, subject

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
NEW_YORK = ZoneInfo("America/New_York")


# Builders for more resources than the sample record holds.


def medication(patient: Any, name: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": next_id("med"),
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": coded(RXNORM, "1", name),
        "subject": subject(patient),
        "authoredOn": "2024-02-03",
        "dosageInstruction": [{"text": "Once a day"}],
    } | extra


def allergy(patient: Any, code: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "AllergyIntolerance",
        "id": next_id("allergy"),
        "code": coded(SNOMED, code, name),
        "patient": subject(patient),
        "recordedDate": "2020-05-06",
    } | extra


def immunization(patient: Any, code: str, name: str, given: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Immunization",
        "id": next_id("imm"),
        "status": "completed",
        "vaccineCode": coded(CVX, code, name),
        "patient": subject(patient),
        "occurrenceDateTime": given,
    } | extra


def condition(patient: Any, name: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": next_id("cond"),
        "clinicalStatus": coded("http://x/condition-clinical", status, status),
        "code": coded(SNOMED, "2", name),
        "subject": subject(patient),
        "onsetDateTime": "2019-01-02",
    } | extra


def procedure(patient: Any, name: str, performed: str) -> dict[str, Any]:
    return {
        "resourceType": "Procedure",
        "id": next_id("proc"),
        "status": "completed",
        "code": coded(SNOMED, "3", name),
        "subject": subject(patient),
        "performedDateTime": performed,
    }


# Medications.


def test_medications_shows_active_and_past_with_exact_values(cast_with_records, patient_client):
    text = page_text(get(patient_client, "medications"))
    active, past = text.split("Past medicines", 1)
    started = day(TODAY - datetime.timedelta(days=30))
    assert (
        "Lisinopril 10 MG Oral Tablet How to take it Take 1 tablet by mouth once a day "
        f"Prescribed by Maya Chen, MD Started {started} Status Active"
    ) in active
    assert "Amoxicillin" not in active
    assert (
        "Amoxicillin 250 MG Oral Capsule How to take it "
        "Take 1 capsule by mouth 3 times a day for 7 days Prescribed by Maya Chen, MD "
        f"Started {day(TODAY.replace(year=TODAY.year - 3))} Status Finished"
    ) in past


def test_medications_on_hold_is_active_and_entered_in_error_is_hidden(cast, patient_client):
    store(
        cast.patient,
        medication(cast.patient, "Warfarin 5 MG", "on-hold"),
        medication(cast.patient, "Mistaken 1 MG", "entered-in-error"),
        medication(cast.patient, "Ibuprofen 200 MG", "stopped"),
    )
    active, past = page_text(get(patient_client, "medications")).split("Past medicines", 1)
    assert "Warfarin 5 MG How to take it Once a day Prescribed by Not recorded" in active
    assert "Status On hold (paused for now)" in active
    assert "Ibuprofen 200 MG" in past and "Status Stopped" in past
    assert "Mistaken" not in active + past


def test_medications_empty_state(cast, patient_client):
    text = page_text(get(patient_client, "medications"))
    assert f"No active medicines are recorded here. {EMPTY_RECORD_NOTE}" in text
    assert f"No past medicines are recorded here. {EMPTY_RECORD_NOTE}" in text


# Allergies.


def test_allergies_shows_reaction_severity_and_high_risk(cast_with_records, patient_client):
    response = get(patient_client, "allergies")
    assert (
        "Current allergies Penicillin High risk Reaction Hives (moderate) Risk High risk "
        "Kind Medicine Status Current Noted on " + day(datetime.date(2015, 6, 1))
    ) in page_text(response)
    # The risk is a flag told by words and a shape, not by colour alone.
    assert (
        '<span class="flag"><svg class="flag-icon" aria-hidden="true"' in response.content.decode()
    )


def test_allergies_says_no_known_allergies_when_the_record_says_so(cast, patient_client):
    store(cast.patient, allergy(cast.patient, "716186003", "No known allergy"))
    text = page_text(get(patient_client, "allergies"))
    assert (
        "Your record says you have no known allergies. This was recorded on "
        + day(datetime.date(2020, 5, 6))
    ) in text
    assert "No allergies are recorded here" not in text


def test_allergies_with_nothing_recorded_does_not_claim_there_are_none(cast, patient_client):
    text = page_text(get(patient_client, "allergies"))
    assert "No allergies are recorded here. This does not mean you have none" in text
    assert "no known allergies" not in text


def test_a_no_known_drug_allergy_statement_is_not_no_known_allergies(cast, patient_client):
    store(cast.patient, allergy(cast.patient, "409137002", "No known drug allergy"))
    text = page_text(get(patient_client, "allergies"))
    assert "No allergies are recorded here." in text
    recorded = day(datetime.date(2020, 5, 6))
    assert f"Your record does say: No known drug allergy (recorded on {recorded})" in text


def test_refuted_and_inactive_allergies(cast, patient_client):
    refuted = {"verificationStatus": coded("http://x/verification", "refuted", "Refuted")}
    inactive = {"clinicalStatus": coded("http://x/clinical", "inactive", "Inactive")}
    store(
        cast.patient,
        allergy(cast.patient, "5", "Latex", **refuted),
        allergy(cast.patient, "6", "Peanut", criticality="low", **inactive),
    )
    text = page_text(get(patient_client, "allergies"))
    assert "Latex" not in text
    assert (
        "Allergies that are no longer a problem Peanut Reaction Not recorded Risk Low risk "
        "Status No longer a problem"
    ) in text
    assert "Current allergies" not in text


# Immunizations.


def test_immunizations_are_grouped_by_vaccine_with_years(cast_with_records, patient_client):
    last_year = TODAY.year - 1
    dose = {"protocolApplied": [{"doseNumberPositiveInt": 2}], "lotNumber": "T-77"}
    store(
        cast_with_records.patient,
        immunization(cast_with_records.patient, "150", "Influenza, quadrivalent", "2023-10-02"),
        immunization(cast_with_records.patient, "158", "Influenza, injectable", "2022-09-30"),
        immunization(
            cast_with_records.patient,
            "115",
            "Tdap",
            "2021-04-05",
            doseQuantity={"value": 0.5, "unit": "mL"},
            **dose,
        ),
    )
    text = page_text(get(patient_client, "immunizations"))
    assert f"At a glance Flu vaccine — {last_year}, 2023, 2022 Tdap — 2021 " in text
    assert (
        f"Doses of Flu vaccine, newest first Date Vaccine Dose and batch Status "
        f"{day(datetime.date(last_year, 10, 15))} Influenza, seasonal, injectable "
        "batch (lot) FLU-2291 Given "
        f"{day(datetime.date(2023, 10, 2))} Influenza, quadrivalent Not recorded Given"
    ) in text
    assert "Dose 2, 0.5 mL, batch (lot) T-77 Given" in text


def test_a_vaccine_not_given_is_listed_but_not_counted_as_given(cast, patient_client):
    store(
        cast.patient,
        immunization(cast.patient, "21", "Varicella", "2024-01-01", status="not-done"),
    )
    text = page_text(get(patient_client, "immunizations"))
    assert "Varicella — not given" in text
    assert "Varicella Not recorded Not given" in text


def test_immunizations_empty_state(cast, patient_client):
    text = page_text(get(patient_client, "immunizations"))
    assert (
        "No immunizations are recorded here. The clinic may hold records from before it "
        "used this portal."
    ) in text


# Problems.


def test_problems_current_and_resolved_with_dates(cast_with_records, patient_client):
    current, past = page_text(get(patient_client, "problems")).split("Past and resolved", 1)
    five_years_ago = TODAY.replace(year=TODAY.year - 5)
    three_years_ago = TODAY.replace(year=TODAY.year - 3)
    assert f"Hypertension Status Current Started {day(five_years_ago)}" in current
    assert (
        f"Acute bronchitis Status Resolved Started {day(three_years_ago)} "
        f"Resolved {day(three_years_ago + datetime.timedelta(days=21))}"
    ) in past
    assert "bronchitis" not in current


def test_refuted_problem_is_hidden(cast, patient_client):
    refuted = {"verificationStatus": coded("http://x/verification", "refuted", "Refuted")}
    store(cast.patient, condition(cast.patient, "Asthma", "active", **refuted))
    text = page_text(get(patient_client, "problems"))
    assert "Asthma" not in text
    assert f"No current health problems are recorded here. {EMPTY_RECORD_NOTE}" in text


# Procedures.


def test_procedures_exact_values_and_pages(cast_with_records, patient_client):
    text = page_text(get(patient_client, "procedures"))
    four_years_ago = TODAY.replace(year=TODAY.year - 4)
    assert f"{day(four_years_ago)} Colonoscopy Done Not recorded" in text
    store(
        cast_with_records.patient,
        *(procedure(cast_with_records.patient, f"Dressing {n}", "2010-01-01") for n in range(50)),
    )
    first = page_text(get(patient_client, "procedures"))
    assert "(51 in all)" in first and "Page 1 of 2" in first and "Colonoscopy" in first
    second = page_text(get(patient_client, "procedures", page="2"))
    assert "Page 2 of 2" in second and second.count("Dressing") == 1


def test_procedures_empty_state(cast, patient_client):
    text = page_text(get(patient_client, "procedures"))
    assert f"No procedures are recorded here. {EMPTY_RECORD_NOTE}" in text


# Audit and access.

LIST_PAGES = {
    "medications": "medications",
    "allergies": "allergies",
    "immunizations": "immunizations",
    "problems": "problems",
    "procedures": "procedures",
}


@pytest.mark.parametrize(("name", "object_type"), LIST_PAGES.items())
def test_each_page_view_is_audited(cast_with_records, patient_client, name, object_type):
    get(patient_client, name)
    event = last_event()
    assert (event.action, event.object_type, event.outcome) == ("view", object_type, "success")
    assert (event.patient_id, event.actor_id, event.acting_as) == (
        cast_with_records.patient.pk,
        cast_with_records.patient_user.pk,
        "self",
    )


@pytest.mark.parametrize("name", LIST_PAGES)
def test_staff_get_404_and_nothing_is_audited(cast_with_records, admin_client_mfa, name):
    before = AuditEvent.objects.count()
    assert get(admin_client_mfa, name).status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_patient_sees_only_their_own_record(cast_with_records, client):
    client.force_login(cast_with_records.second_patient_user)
    store(
        cast_with_records.patient,
        medication(cast_with_records.patient, "Pat-only Medicine", "active"),
    )
    text = page_text(get(client, "medications"))
    assert "Lisinopril" in text and "Pat-only Medicine" not in text


# Query budgets: the same number of queries for 5 resources of the kind as for 300.


def _many(name: str, patient: Any, count: int) -> list[dict[str, Any]]:
    make = {
        "medications": lambda n: medication(patient, f"Medicine {n}", "active"),
        "allergies": lambda n: allergy(patient, "7", f"Substance {n}", criticality="high"),
        "immunizations": lambda n: immunization(patient, str(n), f"Vaccine {n}", "2020-01-01"),
        "problems": lambda n: condition(patient, f"Problem {n}", "active"),
        "procedures": lambda n: procedure(patient, f"Procedure {n}", "2020-01-01"),
    }[name]
    return [make(n) for n in range(count)]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_query_count_does_not_grow_with_the_record(
    cast, patient_client, django_assert_max_num_queries, name
):
    url = reverse(f"records:{name}")
    store(cast.patient, *_many(name, cast.patient, 5))
    # The session's first request records the sign-in session; measure from the second.
    patient_client.get(url)
    small = queries_for(patient_client, url, django_assert_max_num_queries)
    store(cast.patient, *_many(name, cast.patient, 295))
    assert queries_for(patient_client, url, django_assert_max_num_queries) == small


# Dates.


def test_a_plain_date_stays_on_its_day_in_a_zone_west_of_utc():
    midnight = datetime.datetime(2024, 10, 15, tzinfo=datetime.UTC)
    assert calendar_day(midnight, NEW_YORK) == datetime.date(2024, 10, 15)
    early = datetime.datetime(2024, 10, 15, 2, 30, tzinfo=datetime.UTC)
    assert calendar_day(early, NEW_YORK) == datetime.date(2024, 10, 14)
    assert calendar_day(None, NEW_YORK) is None


def test_sparse_resources_say_what_is_not_recorded(cast, patient_client):
    store(
        cast.patient,
        immunization(cast.patient, "999", "Mystery vaccine", "", occurrenceString="childhood"),
        {
            "resourceType": "MedicationStatement",
            "id": next_id("med"),
            "status": "active",
            "subject": subject(cast.patient),
            "medicationReference": {"reference": "Medication/1", "display": "Aspirin"},
        },
    )
    assert (
        "Aspirin How to take it Not recorded Prescribed by Not recorded Started Not recorded"
    ) in page_text(get(patient_client, "medications"))
    immunizations = page_text(get(patient_client, "immunizations"))
    assert "Mystery vaccine — date not recorded" in immunizations
