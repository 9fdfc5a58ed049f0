"""My details: what applies at once, what waits for the front desk, the front desk's answer,
emergency contacts and the pharmacy, the audit trail, and who may reach the page.

Cast: Pat has no phone or address on file and no pharmacy; Sam is another patient; Cora (full
caregiver of Pat, with the account scope) may change Pat's details; Abe (appointments only) may
not; Fran is front desk, Bill is billing (no review permission), Olive another clinic's admin.
"""

from __future__ import annotations

import pytest
from django.test import Client

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.patients.models import (
    DetailsChange,
    DetailsChangeStatus,
    EmergencyContact,
    PreferredPharmacy,
)
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

DETAILS = "/account/details/"
NEW_ADDRESS = {
    "contact-phone": "555-201-3344",
    "contact-address_line": "12 Elm Street",
    "contact-city": "Springfield",
    "contact-state": "IL",
    "contact-postal_code": "62704",
}


def _changes(object_type: str) -> list[tuple[str, str, dict | None]]:
    events = (
        AuditEvent.objects.filter(object_type=object_type)
        .exclude(action=AuditAction.VIEW)
        .order_by("pk")
    )
    return [(event.action, event.acting_as, event.changes) for event in events]


def test_the_phone_applies_at_once_and_the_address_waits_for_the_clinic(cast: Cast):
    client = client_for(cast.patient_user)
    response = client.post(f"{DETAILS}contact/", NEW_ADDRESS)
    assert response.status_code == 302
    assert response["Location"] == DETAILS
    assert flashed(response) == [
        "Your details are saved. The new address waits for the clinic to accept it."
    ]
    cast.patient.refresh_from_db()
    assert cast.patient.phone == "555-201-3344"
    assert cast.patient.address_line == ""
    change = DetailsChange.objects.get()
    assert (change.address_line, change.city, change.state, change.postal_code) == (
        "12 Elm Street",
        "Springfield",
        "IL",
        "62704",
    )
    assert change.status == DetailsChangeStatus.PENDING
    page = client.get(DETAILS).content.decode()
    assert "<strong>Waiting for the clinic to accept</strong>" in page
    assert _changes("patient") == [
        ("update", "self", {"phone": {"before": "", "after": "555-201-3344"}})
    ]
    assert _changes("details_change") == [
        (
            "create",
            "self",
            {
                "address_line": {"before": "", "after": "12 Elm Street"},
                "city": {"before": "", "after": "Springfield"},
                "postal_code": {"before": "", "after": "62704"},
                "state": {"before": "", "after": "IL"},
            },
        )
    ]


def test_a_newer_address_replaces_the_waiting_one(cast: Cast):
    client = client_for(cast.patient_user)
    client.post(f"{DETAILS}contact/", NEW_ADDRESS)
    client.post(f"{DETAILS}contact/", NEW_ADDRESS | {"contact-address_line": "14 Elm Street"})
    statuses = list(DetailsChange.objects.order_by("created_at").values_list("status", flat=True))
    assert statuses == ["replaced", "pending"]
    assert DetailsChange.objects.get(status="pending").address_line == "14 Elm Street"


def test_saving_the_same_details_again_sends_nothing(cast: Cast):
    client = client_for(cast.patient_user)
    response = client.post(f"{DETAILS}contact/", {"contact-phone": ""})
    assert flashed(response) == ["Your details are saved."]
    assert DetailsChange.objects.count() == 0
    assert AuditEvent.objects.filter(object_type__in=["patient", "details_change"]).count() == 0


def test_an_incomplete_address_is_refused_and_nothing_is_saved(cast: Cast):
    client = client_for(cast.patient_user)
    data = NEW_ADDRESS | {"contact-city": ""}
    response = client.post(f"{DETAILS}contact/", data)
    assert response.status_code == 200
    assert "Enter the street address, the city or town and the ZIP code." in (
        response.content.decode()
    )
    cast.patient.refresh_from_db()
    # The phone was valid, but nothing is half-saved.
    assert cast.patient.phone == ""
    assert DetailsChange.objects.count() == 0


def test_a_bad_phone_number_is_refused(cast: Cast):
    response = client_for(cast.patient_user).post(
        f"{DETAILS}contact/", {"contact-phone": "call my daughter"}
    )
    assert response.status_code == 200
    assert "Enter a phone number with its area code, for example 555-201-3344." in (
        response.content.decode()
    )
    cast.patient.refresh_from_db()
    assert cast.patient.phone == ""


def test_the_front_desk_sees_and_accepts_the_change(cast: Cast):
    client_for(cast.patient_user).post(f"{DETAILS}contact/", NEW_ADDRESS)
    change = DetailsChange.objects.get()
    desk = client_for(cast.front_desk)
    listing = desk.get("/staff/details/").content.decode()
    assert f'<a href="/staff/details/{change.pk}/">Pat Patient</a>' in listing
    response = desk.post(f"/staff/details/{change.pk}/", {"action": "accept"})
    assert response["Location"] == "/staff/details/"
    cast.patient.refresh_from_db()
    assert (cast.patient.address_line, cast.patient.city, cast.patient.postal_code) == (
        "12 Elm Street",
        "Springfield",
        "62704",
    )
    change.refresh_from_db()
    assert (change.status, change.reviewed_by) == ("accepted", cast.front_desk)
    page = client_for(cast.patient_user).get(DETAILS).content.decode()
    assert "Waiting for the clinic to accept" not in page
    assert "12 Elm Street<br>Springfield, IL 62704" in page
    staff_update = AuditEvent.objects.filter(
        object_type="patient", acting_as="staff", action=AuditAction.UPDATE
    ).get()
    assert staff_update.patient == cast.patient
    assert staff_update.changes["address_line"] == {"before": "", "after": "12 Elm Street"}


def test_the_front_desk_declines_with_a_note_the_patient_reads(cast: Cast):
    client_for(cast.patient_user).post(f"{DETAILS}contact/", NEW_ADDRESS)
    change = DetailsChange.objects.get()
    desk = client_for(cast.front_desk)
    empty = desk.post(f"/staff/details/{change.pk}/", {"action": "decline", "note": " "})
    assert empty.status_code == 200
    desk.post(
        f"/staff/details/{change.pk}/", {"action": "decline", "note": "Please call us first."}
    )
    page = client_for(cast.patient_user).get(DETAILS).content.decode()
    assert "The clinic says: Please call us first." in page
    cast.patient.refresh_from_db()
    assert cast.patient.address_line == ""


def test_only_reviewers_of_the_clinic_reach_a_change(cast: Cast):
    client_for(cast.patient_user).post(f"{DETAILS}contact/", NEW_ADDRESS)
    change = DetailsChange.objects.get()
    for user in (cast.billing, cast.other_clinic_admin, cast.clinician):
        response = client_for(user).post(f"/staff/details/{change.pk}/", {"action": "accept"})
        assert response.status_code == 404
    change.refresh_from_db()
    assert change.status == "pending"


def test_emergency_contacts_are_added_changed_and_removed(cast: Cast):
    client = client_for(cast.patient_user)
    added = client.post(
        f"{DETAILS}emergency-contacts/add/",
        {
            "emergency-name": "Ann Patient",
            "emergency-relationship": "Daughter",
            "emergency-phone": "555-300-1000",
        },
    )
    assert added["Location"] == DETAILS
    contact = EmergencyContact.objects.get()
    page = client.get(DETAILS).content.decode()
    assert '<td data-label="Name">Ann Patient</td>' in page
    client.post(
        f"{DETAILS}emergency-contacts/{contact.pk}/",
        {
            "emergency-name": "Ann Patient",
            "emergency-relationship": "Daughter",
            "emergency-phone": "555-300-2000",
        },
    )
    contact.refresh_from_db()
    assert contact.phone == "555-300-2000"
    client.post(f"{DETAILS}emergency-contacts/{contact.pk}/remove/")
    assert EmergencyContact.objects.count() == 0
    assert [action for action, _as, _c in _changes("emergency_contact")] == [
        "create",
        "update",
        "delete",
    ]
    assert _changes("emergency_contact")[1][2] == {
        "phone": {"before": "555-300-1000", "after": "555-300-2000"}
    }


def test_another_patients_emergency_contact_is_not_found(cast: Cast):
    sams = EmergencyContact.objects.create(
        patient=cast.second_patient, name="Sue", relationship="Wife", phone="555-100-2000"
    )
    client = client_for(cast.patient_user)
    assert client.get(f"{DETAILS}emergency-contacts/{sams.pk}/").status_code == 404
    assert client.post(f"{DETAILS}emergency-contacts/{sams.pk}/remove/").status_code == 404
    assert EmergencyContact.objects.filter(pk=sams.pk).exists()


def test_the_pharmacy_is_saved_and_audited(cast: Cast):
    client = client_for(cast.patient_user)
    client.post(
        f"{DETAILS}pharmacy/",
        {
            "pharmacy-name": "Main Street Pharmacy",
            "pharmacy-address": "3 Main St, Springfield",
            "pharmacy-phone": "",
        },
    )
    pharmacy = PreferredPharmacy.objects.get(patient=cast.patient)
    assert pharmacy.label == "Main Street Pharmacy, 3 Main St, Springfield"
    assert _changes("pharmacy") == [
        (
            "create",
            "self",
            {
                "address": {"before": None, "after": "3 Main St, Springfield"},
                "name": {"before": None, "after": "Main Street Pharmacy"},
                "phone": {"before": None, "after": ""},
            },
        )
    ]


def test_a_caregiver_with_the_account_scope_may_change_the_details(cast: Cast):
    cora = client_for(cast.proxy_cast.full_caregiver, acting_for=cast.patient)
    page = cora.get(DETAILS).content.decode()
    assert "<h1>Pat Patient's details</h1>" in page
    cora.post(f"{DETAILS}contact/", {"contact-phone": "555-999-0000"})
    cast.patient.refresh_from_db()
    assert cast.patient.phone == "555-999-0000"
    assert _changes("patient")[0][1] == "proxy"


def test_a_caregiver_without_the_account_scope_gets_404_and_changes_nothing(cast: Cast):
    abe = client_for(cast.proxy_cast.appointments_caregiver, acting_for=cast.patient)
    assert abe.get(DETAILS).status_code == 404
    assert abe.post(f"{DETAILS}contact/", {"contact-phone": "555-999-0000"}).status_code == 404
    assert abe.post(f"{DETAILS}pharmacy/", {"pharmacy-name": "X"}).status_code == 404
    cast.patient.refresh_from_db()
    assert cast.patient.phone == ""
    assert PreferredPharmacy.objects.count() == 0
    denied = AuditEvent.objects.filter(object_type="my_details", outcome="denied")
    assert denied.count() == 3


def test_staff_and_signed_out_visitors_do_not_reach_the_page(cast: Cast):
    assert client_for(cast.front_desk).get(DETAILS).status_code == 404
    assert Client().get(DETAILS)["Location"] == "/account/login/?next=/account/details/"


def test_the_page_costs_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries
) -> None:
    for number in range(5):
        EmergencyContact.objects.create(
            patient=cast.patient, name=f"C{number}", relationship="Friend", phone="555-000-0000"
        )
    client = client_for(cast.patient_user)
    client.get(DETAILS)
    with django_assert_max_num_queries(20):
        assert client.get(DETAILS).status_code == 200
