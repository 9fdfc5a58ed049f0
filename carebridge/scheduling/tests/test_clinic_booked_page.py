"""The page of an appointment the clinic booked in its own system (the EHR's): what it says,
its calendar file, directions, asking the clinic to cancel or move it, who may see it, and
its audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import Location
from carebridge.messaging.models import CareRequest, CareRequestStatus, RequestKind
from carebridge.proxies.models import ProxyScope
from carebridge.scheduling.tests.pages import PAGE, SENSITIVE, utc, words
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.proxy_personas import make_grant
from carebridge.testing.records import appointment, store

pytestmark = pytest.mark.django_db

# The page of one appointment (18 queries today): the session, the acting context, the page's
# shared parts, the resource, its place, its latest request and the audit event.
PAGE_BUDGET = 20


@pytest.fixture
def office(cast) -> Location:
    """The clinic's place the EHR names "Main Street Office"."""
    return Location.objects.create(
        clinic=cast.clinic,
        name="Main Street Office",
        address_line="12 Main Street",
        city="Springfield",
        state="MA",
        postal_code="01101",
    )


@pytest.fixture
def visits(cast, office):
    """Pat's follow-up on Thursday 5 March at 9 a.m. (clinic time), one labelled sensitive,
    and one she attended in February."""
    pat = cast.patient
    return store(
        pat,
        appointment(pat, utc(3, 5, 14)),
        appointment(pat, utc(3, 6, 14), kind="Counselling", meta=SENSITIVE),
        appointment(pat, utc(2, 10, 19, 30), status="fulfilled"),
    )


def page(resource) -> str:
    return reverse("scheduling:clinic-appointment", args=[resource.api_id])


def change_url(resource) -> str:
    return reverse("scheduling:clinic-appointment-change", args=[resource.api_id])


def ics_url(resource) -> str:
    return reverse("scheduling:clinic-appointment-ics", args=[resource.api_id])


def facts(html: str) -> str:
    return words(html.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0])


def actions(html: str) -> str:
    return words(html.split('<ul class="actions">', 1)[1].split("</ul>", 1)[0])


def test_the_list_links_each_ehr_appointment_to_its_page(patient_client, visits):
    follow_up = visits[0]
    html = patient_client.get(PAGE).content.decode()
    assert f'<a href="/appointments/clinic/{follow_up.api_id}/">See this appointment' in html


def test_pat_sees_when_with_whom_where_and_the_way_there(patient_client, visits):
    response = patient_client.get(page(visits[0]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Your appointment</h1>" in html
    assert facts(html) == (
        "When Thursday, March 5, 2026, 9:00 a.m. Visit Follow-up visit With Maya Chen, MD "
        "Where Main Street Office 12 Main Street, Springfield, MA 01101 "
        "Directions (opens a map) Status Booked Booked Booked by the clinic"
    )
    directions = (
        "https://www.openstreetmap.org/search?query=12+Main+Street%2C+Springfield%2C+MA+01101"
    )
    assert f'href="{directions}"' in html
    assert actions(html) == (
        "Add to calendar (.ics file) Ask the clinic to cancel or move it "
        "To change it today, call Riverside Family Clinic on 555-0100 ."
    )


def test_a_past_appointment_offers_the_calendar_but_no_change(patient_client, visits):
    html = patient_client.get(page(visits[2])).content.decode()
    assert actions(html) == "Add to calendar (.ics file)"
    assert patient_client.get(change_url(visits[2])).status_code == 302
    assert CareRequest.objects.count() == 0


def test_the_calendar_file_says_when_and_where_but_nothing_clinical(patient_client, visits):
    response = patient_client.get(ics_url(visits[0]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    unfolded = text.replace("\r\n ", "")
    fields = dict(line.split(":", 1) for line in unfolded.split("\r\n") if ":" in line)
    assert fields["UID"] == f"{visits[0].api_id}@127.0.0.1"
    assert fields["DTSTART"] == "20260305T140000Z"
    assert fields["DTEND"] == "20260305T143000Z"
    assert fields["SUMMARY"] == "Appointment at Riverside Family Clinic"
    assert fields["LOCATION"] == ("Main Street Office\\, 12 Main Street\\, Springfield\\, MA 01101")
    assert fields["STATUS"] == "CONFIRMED"
    assert "Follow-up" not in text
    assert "Chen" not in text


def test_asking_to_move_makes_one_request_the_front_desk_sees(cast, patient_client, visits):
    follow_up = visits[0]
    response = patient_client.post(
        change_url(follow_up), {"change": "move", "note": "Mornings suit me"}
    )
    assert response.status_code == 302
    assert flashed(response) == ["Your request is sent. The clinic will contact you."]
    asked = CareRequest.objects.get()
    assert (asked.kind, asked.status, asked.created_by, asked.created_as) == (
        RequestKind.VISIT,
        CareRequestStatus.SUBMITTED,
        cast.patient_user,
        "self",
    )
    assert asked.details == {
        "appointment": str(follow_up.api_id),
        "change": "move",
        "starts_at": "2026-03-05T14:00:00+00:00",
        "note": "Mornings suit me",
    }
    queue = client_for(cast.front_desk).get(reverse("staff:inbox-requests") + "?kind=visit")
    assert queue.status_code == 200
    assert f"/staff/inbox/requests/{asked.pk}/" in queue.content.decode()


def test_the_page_then_says_requested_and_offers_no_second_request(patient_client, visits):
    follow_up = visits[0]
    patient_client.post(change_url(follow_up), {"change": "cancel"})
    html = patient_client.get(page(follow_up)).content.decode()
    section = words(html.split('id="change-heading"', 1)[1].split("</section>", 1)[0])
    assert section == (
        "> Requested A request to cancel this appointment was sent to the clinic "
        "Sent March 4, 2026, 10:00 a.m. Status Sent to the clinic The clinic will contact you. "
        "Until then, the appointment stands as it is."
    )
    assert "Ask the clinic to cancel or move it" not in html
    second = patient_client.post(change_url(follow_up), {"change": "move"})
    assert second.status_code == 302
    assert CareRequest.objects.count() == 1


def test_a_choice_is_required(patient_client, visits):
    response = patient_client.post(change_url(visits[0]), {"change": "drop"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert CareRequest.objects.count() == 0


def test_viewing_and_asking_are_audited(cast, patient_client, visits):
    follow_up = visits[0]
    patient_client.get(page(follow_up))
    patient_client.post(change_url(follow_up), {"change": "cancel"})
    asked = CareRequest.objects.get()
    rows = AuditEvent.objects.order_by("sequence")
    seen = [
        (e.object_type, e.action, e.object_id, e.acting_as)
        for e in rows
        if e.object_type in ("appointments", "care_request")
    ]
    assert seen == [
        ("appointments", "view", str(follow_up.api_id), "self"),
        ("appointments", "view", str(follow_up.api_id), "self"),
        ("care_request", "create", str(asked.pk), "self"),
    ]


def test_a_caregiver_with_the_appointments_scope_may_ask(cast, act_as, visits):
    client = act_as(cast.proxies.appointments_caregiver, cast.patient)
    html = client.get(page(visits[0])).content.decode()
    assert "<h1>Appointment for Pat Patient</h1>" in html
    client.post(change_url(visits[0]), {"change": "cancel"})
    assert CareRequest.objects.get().created_as == "proxy"


def test_a_caregiver_never_reaches_the_sensitive_one(cast, act_as, visits):
    client = act_as(cast.proxies.full_caregiver, cast.patient)
    assert client.get(page(visits[1])).status_code == 404
    assert client.get(ics_url(visits[1])).status_code == 404
    assert client.post(change_url(visits[1]), {"change": "cancel"}).status_code == 404
    assert CareRequest.objects.count() == 0


def test_another_patients_appointment_is_a_404(cast, act_as, visits):
    client = act_as(cast.second_patient.user, None)
    for url in (page(visits[0]), ics_url(visits[0]), change_url(visits[0])):
        assert client.get(url).status_code == 404
    assert client.post(change_url(visits[0]), {"change": "cancel"}).status_code == 404
    assert CareRequest.objects.count() == 0


def test_a_proxy_without_the_appointments_scope_is_refused_audited(cast, act_as, visits):
    reader = factories.make_user(email="rhea@example.org", first_name="Rhea", last_name="Reader")
    make_grant(
        cast.patient, reader, granted_by=cast.patient_user, scopes=[ProxyScope.RESULTS.value]
    )
    client = act_as(reader, cast.patient)
    assert client.get(page(visits[0])).status_code == 404
    assert client.post(change_url(visits[0]), {"change": "cancel"}).status_code == 404
    assert CareRequest.objects.count() == 0
    denied = AuditEvent.objects.filter(outcome="denied", object_type="appointments")
    assert [e.object_id for e in denied] == [str(visits[0].api_id)] * 2


def test_an_appointment_without_a_time_has_no_calendar_file(cast, patient_client, office):
    (proposed,) = store(
        cast.patient, appointment(cast.patient, None, status="proposed", kind="", place="")
    )
    html = patient_client.get(page(proposed)).content.decode()
    assert "Time not set yet" in facts(html)
    assert "calendar.ics" not in html
    assert patient_client.get(ics_url(proposed)).status_code == 404


def test_the_front_desk_reads_what_was_asked_and_pat_follows_it(cast, patient_client, visits):
    patient_client.post(change_url(visits[0]), {"change": "move", "note": "Mornings"})
    asked = CareRequest.objects.get()
    staff_page = client_for(cast.front_desk).get(reverse("staff:inbox-request", args=[asked.pk]))
    staff_html = staff_page.content.decode()
    assert staff_page.status_code == 200
    assert "Kind of request Change to an appointment" in words(staff_html)
    assert facts(staff_html).split(" Asked for ", 1)[1] == (
        "Move it to another time Appointment booked by the clinic March 5, 2026, 9:00 a.m. "
        "Note Mornings Status Sent to the clinic"
    )
    mine = patient_client.get(reverse("messaging:request", args=[asked.pk]))
    assert mine.status_code == 200
    assert facts(mine.content.decode()).split(" Asked for ", 1)[1] == (
        "Move it to another time Appointment booked by the clinic March 5, 2026, 9:00 a.m. "
        "Note Mornings"
    )


def _page_queries(client, resource, assert_max_num_queries) -> int:
    with assert_max_num_queries(PAGE_BUDGET) as queries:
        assert client.get(page(resource)).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_however_many_appointments_and_requests(
    cast, patient_client, visits, django_assert_max_num_queries
):
    follow_up = visits[0]
    patient_client.get(page(follow_up))
    few = _page_queries(patient_client, follow_up, django_assert_max_num_queries)
    for day in range(10, 20):
        (other,) = store(cast.patient, appointment(cast.patient, utc(3, day, 14)))
        patient_client.post(change_url(other), {"change": "cancel"})
    patient_client.post(change_url(follow_up), {"change": "cancel"})
    # The first page after the requests shows their flashed messages; measure the next.
    patient_client.get(page(follow_up))
    many = _page_queries(patient_client, follow_up, django_assert_max_num_queries)
    assert many == few
