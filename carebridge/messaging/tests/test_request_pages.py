"""The patient's pages for requests from the record: the list, one request, and the refill,
referral and records forms.

What is shown, in words (who asked, the status and its steps, the clinic's note, times on the
clinic's clock); who may see what (Pat, Cora on Pat's behalf, Terry without Tess's medicines,
Sam, Abe); what a good form stores (exactly), and what a bad one leaves behind (nothing); the
audit trail; and that the list's queries do not grow with the number of requests.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
import time_machine

from carebridge.audit.models import AuditEvent
from carebridge.messaging.care_requests import answer_request, start_review, submit_request
from carebridge.messaging.models import CareRequest, RequestKind
from carebridge.proxies.models import ProxyGrant
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.records import medication_request, store

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
# NOW on the clinic's clock (America/New_York), as the pages write it.
SHOWN_NOW = "March 4, 2026, 10:00 a.m."
LIST = "/messages/requests/"
REFILL = "/messages/requests/new/refill/"
REFERRAL = "/messages/requests/new/referral/"
RECORDS = "/messages/requests/new/records/"
# The most queries the list may make (signing in, acting for someone, auditing, the page).
LIST_BUDGET = 25
REFILL_DETAILS = {"medicines": ["Metformin 500 MG"], "pharmacy": "Main Street Pharmacy", "note": ""}


@pytest.fixture(autouse=True)
def frozen() -> Iterator[datetime.datetime]:
    with time_machine.travel(NOW, tick=False):
        yield NOW


def cora(cast: Any) -> Any:
    return cast.proxies.full_caregiver


def ask(cast: Any, kind: str = RequestKind.REFILL, details: Any = None, **changes: Any) -> Any:
    arguments = {
        "actor": cast.patient_user,
        "acting_as": "self",
        "patient": cast.patient,
        "kind": kind,
        "details": REFILL_DETAILS if details is None else details,
    }
    return submit_request(**(arguments | changes))


def answer(cast: Any, asked: CareRequest, *, approve: bool, note: str) -> CareRequest:
    return answer_request(actor=cast.nurse, care_request=asked, approve=approve, note=note, now=NOW)


def main_text(response: Any) -> str:
    """The page's text between the header and the footer as a screen reader reads it (the
    symbols hidden from it left out), spaces collapsed."""
    assert response.status_code == 200
    html = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    html = re.sub(r'<span[^>]*aria-hidden="true">[^<]*</span>', " ", html.split(">", 1)[1])
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def tick_boxes(response: Any, name: str) -> list[tuple[str, str]]:
    """Each tick box of the field: its value and its label."""
    html = response.content.decode()
    found = re.findall(
        rf'<input type="checkbox" name="{name}" value="([^"]+)" id="([^"]+)"[^>]*> '
        r'<label for="\2">([^<]+)</label>',
        html,
    )
    return [(value, label) for value, _id, label in found]


def summary_errors(response: Any) -> list[tuple[str, str]]:
    """The error summary's links: where each leads, and its error."""
    assert response.status_code == 200
    return re.findall(r'<li><a href="#(\w+)">[^<]*: ([^<]+)</a></li>', response.content.decode())


def views_of(object_type: str, **filters: Any) -> list[tuple[Any, str, str, str]]:
    events = AuditEvent.objects.filter(object_type=object_type, action="view", **filters)
    return [(e.actor_id, e.object_id, e.outcome, e.acting_as) for e in events.order_by("pk")]


def the_new_request() -> CareRequest:
    return CareRequest.objects.get()


# The list


def test_pat_sees_her_requests_newest_first_in_words(cast):
    refill = ask(cast)
    answer(cast, refill, approve=True, note="Sent to Main Street Pharmacy.")
    referral = ask(
        cast,
        RequestKind.REFERRAL,
        {"specialty": "Cardiologist", "reason": "Chest pain when walking"},
    )
    CareRequest.objects.filter(pk=refill.pk).update(created_at=NOW - datetime.timedelta(days=2))
    text = main_text(client_for(cast.patient_user).get(LIST))
    assert text.split("Make a new request ", 1)[1].split(" Back to messages")[0] == (
        "Referral Status Sent to the clinic What was asked Cardiologist "
        f"Sent {SHOWN_NOW} Asked by Pat Patient "
        "Prescription refill Status Approved What was asked Metformin 500 MG "
        f"Sent March 2, 2026, 10:00 a.m. Asked by Pat Patient Answered {SHOWN_NOW} "
        "The clinic's note Sent to Main Street Pharmacy."
    )
    html = client_for(cast.patient_user).get(LIST).content.decode()
    assert f'href="/messages/requests/{referral.pk}/"' in html
    assert 'class="request-status request-status-approved"' in html
    assert 'datetime="2026-03-04T10:00:00-05:00"' in html
    assert views_of("care_request") == [(cast.patient_user.pk, "", "success", "self")] * 2


def test_cora_asks_on_pats_behalf_and_both_see_who_asked(cast):
    ask(cast, actor=cora(cast), acting_as="proxy")
    coras = main_text(client_for(cora(cast), acting_for=cast.patient).get(LIST))
    assert coras.startswith("Requests for Pat Patient ")
    assert "Asked by Cora Caregiver on behalf of Pat Patient" in coras
    pats = main_text(client_for(cast.patient_user).get(LIST))
    assert "Asked by Cora Caregiver on behalf of Pat Patient" in pats
    assert views_of("care_request") == [
        (cora(cast).pk, "", "success", "proxy"),
        (cast.patient_user.pk, "", "success", "self"),
    ]


def test_sam_sees_none_of_pats_requests(cast):
    ask(cast)
    text = main_text(client_for(cast.second_patient_user).get(LIST))
    assert "Metformin" not in text
    assert "There are no requests yet." in text


def test_abe_and_staff_get_404_and_abe_is_audited_as_denied(cast):
    abe = cast.proxies.appointments_caregiver
    assert client_for(abe, acting_for=cast.patient).get(LIST).status_code == 404
    assert views_of("care_request") == [(abe.pk, "", "denied", "proxy")]
    for staff in (cast.clinician, cast.nurse, cast.front_desk):
        assert client_for(staff).get(LIST).status_code == 404
        assert client_for(staff).get(REFILL).status_code == 404


def test_list_is_paged_20_a_page(cast):
    for number in range(23):
        asked = ask(cast, RequestKind.REFERRAL, {"specialty": f"Specialist {number:02d}"})
        CareRequest.objects.filter(pk=asked.pk).update(
            created_at=NOW - datetime.timedelta(hours=number)
        )
    first = client_for(cast.patient_user).get(LIST).content.decode()
    assert first.count('class="record-card care-request"') == 20
    assert "Specialist 00" in first and "Specialist 19" in first
    assert "Specialist 20" not in first
    assert "Page 1 of 2" in first
    second = client_for(cast.patient_user).get(LIST + "?page=2").content.decode()
    assert second.count('class="record-card care-request"') == 3
    assert "Specialist 22" in second


def list_queries(client: Any, budget: Any) -> int:
    with budget(LIST_BUDGET) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_requests(cast, django_assert_max_num_queries):
    client = client_for(cora(cast), acting_for=cast.patient)
    ask(cast)
    ask(cast, actor=cora(cast), acting_as="proxy")
    list_queries(client, django_assert_max_num_queries)  # The first saves the session.
    few = list_queries(client, django_assert_max_num_queries)
    for number in range(38):
        asked = ask(cast, actor=cora(cast), acting_as="proxy")
        if number % 2:
            answer(cast, asked, approve=False, note="Please book a visit.")
    assert CareRequest.objects.count() == 40
    assert list_queries(client, django_assert_max_num_queries) == few


# One request


def test_a_new_request_shows_its_steps_still_to_come(cast):
    asked = ask(cast, details=REFILL_DETAILS | {"note": "Nearly out"})
    response = client_for(cast.patient_user).get(f"{LIST}{asked.pk}/")
    text = main_text(response)
    assert text.split(" Back to the requests")[0] == (
        "Prescription refill Sent to the clinic What was asked Asked by Pat Patient "
        "Medicines Metformin 500 MG Pharmacy Main Street Pharmacy Note Nearly out "
        f"What has happened Done Sent to the clinic on {SHOWN_NOW} "
        "Not yet Being looked at Not yet Answer from the clinic "
        "No longer needed? You can withdraw the request until the clinic answers it. "
        "The clinic will then not answer it. Withdraw this request"
    )
    assert views_of("care_request", object_id=str(asked.pk)) == [
        (cast.patient_user.pk, str(asked.pk), "success", "self")
    ]


def test_a_request_being_looked_at_then_not_approved_with_the_note(cast):
    asked = ask(cast, RequestKind.RECORDS, {"records": "Test results", "send_to": "Dr Lee"})
    start_review(actor=cast.nurse, care_request=asked)
    client = client_for(cast.patient_user)
    looking = main_text(client.get(f"{LIST}{asked.pk}/"))
    assert looking.startswith("Copy of my records Being looked at What was asked ")
    assert "Records Test results Send them to Dr Lee Note None given" in looking
    assert (
        f"Done Sent to the clinic on {SHOWN_NOW} Now Being looked at Not yet Answer from the clinic"
    ) in looking
    answer(cast, asked, approve=False, note="We need a signed form first.")
    answered = main_text(client.get(f"{LIST}{asked.pk}/"))
    assert (
        f"Done Sent to the clinic on {SHOWN_NOW} Done Looked at by the clinic "
        f"Done Not approved on {SHOWN_NOW} The clinic's note We need a signed form first."
    ) in answered


def test_cora_sees_pats_request_on_her_behalf(cast):
    asked = ask(cast, actor=cora(cast), acting_as="proxy")
    text = main_text(client_for(cora(cast), acting_for=cast.patient).get(f"{LIST}{asked.pk}/"))
    assert "Asked by Cora Caregiver on behalf of Pat Patient Medicines Metformin 500 MG" in text


def test_another_patients_request_is_404_and_not_audited_as_seen(cast):
    asked = ask(cast)
    url = f"{LIST}{asked.pk}/"
    assert client_for(cast.second_patient_user).get(url).status_code == 404
    assert client_for(cast.proxies.parent_of_child, acting_for=cast.proxies.child).get(
        url
    ).status_code == (404)
    assert views_of("care_request") == []
    abe = cast.proxies.appointments_caregiver
    assert client_for(abe, acting_for=cast.patient).get(url).status_code == 404
    assert views_of("care_request") == [(abe.pk, str(asked.pk), "denied", "proxy")]


# Refill


def test_refill_offers_the_current_medicines_and_the_last_pharmacy(cast_with_records):
    cast = cast_with_records
    metformin, warfarin, _stopped = store(
        cast.patient,
        medication_request(cast.patient, "Metformin 500 MG Oral Tablet", "active"),
        medication_request(cast.patient, "Warfarin 5 MG Oral Tablet", "on-hold"),
        medication_request(cast.patient, "Ibuprofen 200 MG Oral Tablet", "stopped"),
    )
    ask(cast, details=REFILL_DETAILS | {"pharmacy": "Old Pharmacy"})
    ask(cast, details=REFILL_DETAILS | {"pharmacy": "Corner Pharmacy, Riverside"})
    CareRequest.objects.filter(details__pharmacy="Old Pharmacy").update(
        created_at=NOW - datetime.timedelta(days=30)
    )
    ask(cast, RequestKind.REFERRAL, {"specialty": "Cardiologist"})
    response = client_for(cast.patient_user).get(REFILL)
    assert tick_boxes(response, "medicines") == [
        (str(cast.record.medication.pk), "Lisinopril 10 MG Oral Tablet"),
        (str(metformin.pk), "Metformin 500 MG Oral Tablet"),
        (str(warfarin.pk), "Warfarin 5 MG Oral Tablet"),
    ]
    html = response.content.decode()
    assert 'value="Corner Pharmacy, Riverside"' in html
    assert "<legend>Which medicines do you need more of?</legend>" in html
    assert views_of("medications") == [(cast.patient_user.pk, "", "success", "self")]


def test_refill_sends_two_chosen_medicines(cast_with_records):
    cast = cast_with_records
    (metformin,) = store(
        cast.patient, medication_request(cast.patient, "Metformin 500 MG", "active")
    )
    client = client_for(cast.patient_user)
    response = client.post(
        REFILL,
        {
            "medicines": [str(metformin.pk), str(cast.record.medication.pk)],
            "pharmacy": " Main Street Pharmacy ",
            "note": "I have 3 days left.",
        },
    )
    asked = the_new_request()
    assert (response.status_code, response["Location"]) == (302, f"{LIST}{asked.pk}/")
    assert (asked.kind, asked.status, asked.created_by, asked.created_as) == (
        "refill",
        "submitted",
        cast.patient_user,
        "self",
    )
    assert asked.details == {
        "medicines": ["Lisinopril 10 MG Oral Tablet", "Metformin 500 MG"],
        "pharmacy": "Main Street Pharmacy",
        "note": "I have 3 days left.",
    }
    assert flashed(response) == ["Your request is sent."]
    created = AuditEvent.objects.filter(object_type="care_request", action="create")
    assert [(e.actor_id, e.object_id, e.patient_id) for e in created] == [
        (cast.patient_user.pk, str(asked.pk), cast.patient.pk)
    ]


@pytest.mark.parametrize("whose", ["sams", "past"])
def test_a_medicine_not_on_the_list_is_refused_and_nothing_saved(cast_with_records, whose):
    cast = cast_with_records
    forged = cast.second_record.medication if whose == "sams" else cast.record.past_medication
    response = client_for(cast.patient_user).post(
        REFILL,
        {"medicines": [str(forged.pk)], "pharmacy": "Main Street Pharmacy"},
    )
    assert response.status_code == 200
    assert (
        '<a href="#id_medicines_0">Which medicines do you need more of?: '
        "Choose only medicines from the list.</a>"
    ) in response.content.decode()
    assert not CareRequest.objects.exists()
    assert not AuditEvent.objects.filter(object_type="care_request").exists()


def test_an_empty_refill_form_shows_every_error_and_saves_nothing(cast_with_records):
    response = client_for(cast_with_records.patient_user).post(REFILL, {})
    assert summary_errors(response) == [
        ("id_medicines_0", "Choose at least one medicine to refill."),
        ("id_pharmacy", "Say which pharmacy should get it."),
    ]
    assert not CareRequest.objects.exists()


def test_no_current_medicines_offers_a_message_instead(cast):
    response = client_for(cast.patient_user).get(REFILL)
    text = main_text(response)
    assert "The record shows no medicines taken now, so there is nothing to refill here." in text
    assert 'href="/messages/new/">Write a message to the care team instead</a>' in (
        response.content.decode()
    )
    main = response.content.decode().split('<main id="main"', 1)[1].split("</main>")[0]
    assert "<form" not in main


def test_terry_who_may_not_see_tess_medicines_types_them(cast):
    terry, tess = cast.proxies.parent_of_teen, cast.proxies.teen
    store(tess, medication_request(tess, "Isotretinoin 20 MG", "active"))
    client = client_for(terry, acting_for=tess)
    response = client.get(REFILL)
    assert "Isotretinoin" not in response.content.decode()
    assert tick_boxes(response, "medicines") == []
    assert '<textarea name="medicines"' in response.content.decode()
    assert views_of("medications") == []
    client.post(
        REFILL, {"medicines": "Inhaler 100 mcg\n\nCetirizine 10 mg, ", "pharmacy": "Main St"}
    )
    asked = the_new_request()
    assert (asked.patient, asked.created_by, asked.created_as, asked.details) == (
        tess,
        terry,
        "proxy",
        {"medicines": ["Inhaler 100 mcg", "Cetirizine 10 mg"], "pharmacy": "Main St", "note": ""},
    )


def test_a_typed_refill_needs_a_medicine(cast):
    terry, tess = cast.proxies.parent_of_teen, cast.proxies.teen
    response = client_for(terry, acting_for=tess).post(
        REFILL, {"medicines": " , \n", "pharmacy": "Main St"}
    )
    assert "Write at least one medicine to refill." in main_text(response)
    assert not CareRequest.objects.exists()


def test_medications_page_links_to_the_refill_only_for_those_who_may_ask(cast_with_records):
    cast = cast_with_records
    link = 'href="/messages/requests/new/refill/">Ask for a refill</a>'
    assert link in client_for(cast.patient_user).get("/record/medications/").content.decode()
    coras = client_for(cora(cast), acting_for=cast.patient)
    assert link in coras.get("/record/medications/").content.decode()
    grant = ProxyGrant.objects.get(proxy=cora(cast), patient=cast.patient)
    grant.scopes = ["record"]
    grant.save(update_fields=["scopes"])
    page = coras.get("/record/medications/")
    assert page.status_code == 200
    assert link not in page.content.decode()


def test_the_messages_page_links_to_requests(cast):
    html = client_for(cast.patient_user).get("/messages/").content.decode()
    assert (
        '<a href="/messages/requests/new/">'
        "Ask for a refill, a referral or a copy of the records</a>"
    ) in html
    assert '<a href="/messages/requests/">Refill, referral and records requests</a>' in html


# Referral and records


def test_referral_is_sent_exactly(cast):
    response = client_for(cast.patient_user).post(
        REFERRAL,
        {"specialty": " Dermatologist ", "reason": "A mole that has changed", "note": ""},
    )
    asked = the_new_request()
    assert (response.status_code, response["Location"]) == (302, f"{LIST}{asked.pk}/")
    assert (asked.kind, asked.details) == (
        "referral",
        {"specialty": "Dermatologist", "reason": "A mole that has changed", "note": ""},
    )
    assert flashed(response) == ["Your request is sent."]


def test_an_empty_referral_shows_its_errors_and_saves_nothing(cast):
    response = client_for(cast.patient_user).post(REFERRAL, {})
    assert summary_errors(response) == [
        ("id_specialty", "Say what kind of specialist you need."),
        ("id_reason", "Say why you need to see a specialist."),
    ]
    assert not CareRequest.objects.exists()


def test_records_are_sent_in_words(cast):
    client = client_for(cora(cast), acting_for=cast.patient)
    response = client.post(
        RECORDS,
        {
            "records": ["results", "immunizations"],
            "other": "The X-ray of my knee",
            "send_to": "Dr Lee, Hill Street Clinic",
            "note": "",
        },
    )
    asked = the_new_request()
    assert (response.status_code, response["Location"]) == (302, f"{LIST}{asked.pk}/")
    assert (asked.kind, asked.created_as, asked.details) == (
        "records",
        "proxy",
        {
            "records": "Test results, Immunizations, The X-ray of my knee",
            "send_to": "Dr Lee, Hill Street Clinic",
            "note": "",
        },
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Say which records you need."),
        ({"records": ["everything-else"]}, "Choose only records from the list."),
    ],
)
def test_records_need_a_choice_from_the_list_or_words(cast, data, error):
    response = client_for(cast.patient_user).post(RECORDS, data)
    assert summary_errors(response) == [("id_records_0", error)]
    assert not CareRequest.objects.exists()


def test_the_chooser_links_to_the_three_forms(cast):
    html = client_for(cast.patient_user).get("/messages/requests/new/").content.decode()
    assert re.findall(r'<h2><a href="([^"]+)">([^<]+)</a></h2>', html) == [
        (REFILL, "A prescription refill"),
        (REFERRAL, "A referral to a specialist"),
        (RECORDS, "A copy of the records"),
    ]
