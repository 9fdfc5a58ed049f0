"""The patient's page in the console: details, appointments, and what each role may do next;
and the ways to the patient (and the chart) from the patient list, the inbox, a request and
the schedule.

Cast and clock as the schedule tests (`schedule_setup`): Wednesday, March 4, 2026, 10:00 a.m. in New
York. Pat has check-ups with Dr Okafor booked for tomorrow and last Monday; Una (the unenrolled
patient) has no portal account, no contact details and no appointments.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from carebridge.messaging.care_requests import submit_request
from carebridge.messaging.models import RequestKind
from carebridge.patients.models import Patient
from carebridge.staff.tests.inbox_setup import make_inbox
from carebridge.staff.tests.schedule_setup import (  # noqa: F401
    frozen_clock,
    make_desk,
)
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _main(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _page(cast: Cast, persona: str, patient: Patient | None = None) -> str:
    url = reverse("staff:patient", args=[(patient or cast.patient).pk])
    return _main(client_for(getattr(cast, persona)).get(url))


def _actions(html: str) -> list[tuple[str, str]]:
    nav = (
        html.split('<nav class="actions"', 1)[1].split("</nav>", 1)[0] if "actions" in html else ""
    )
    return [(label, href) for href, label in re.findall(r'href="([^"]*)">([^<]*)</a>', nav)]


def test_the_page_shows_pats_details_and_appointments(cast: Cast) -> None:
    desk = make_desk(cast)
    upcoming = desk.book(cast.patient, datetime.datetime(2026, 3, 5, 10, 0, tzinfo=NEW_YORK))
    past = desk.book(cast.patient, datetime.datetime(2026, 3, 2, 14, 30, tzinfo=NEW_YORK))
    Patient.objects.filter(pk=cast.patient.pk).update(
        email="pat@example.org",
        phone="555-0100",
        address_line="1 Elm Street",
        city="Springfield",
        state="IL",
        postal_code="62701",
    )
    html = _page(cast, "front_desk")
    # The factory numbers its places; the number depends on which tests ran before.
    place = upcoming.location.name
    assert _text(html).replace(place, "<place>") == (
        'class="wrap" tabindex="-1"> All patients Pat Patient Send a message Book an appointment '
        "Parents and caregivers Details Name Pat Patient Date of birth March 14, 1956 "
        "(69 years old) Medical record number RFC-1001 Sex Female E-mail pat@example.org "
        "Phone 555-0100 "
        "Address 1 Elm Street Springfield, IL 62701 Preferred language English Portal account "
        "Enrolled Upcoming appointments Upcoming appointments, soonest first When Visit With "
        "Where Status March 5, 2026, 10:00 a.m. Check-up Sam Okafor, MD <place> "
        "Booked Recent appointments Recent appointments, latest first When Visit With Where "
        "Status March 2, 2026, 2:30 p.m. Check-up Sam Okafor, MD <place> Booked "
        "Times are in the clinic's time zone (America/New_York)."
    )
    # Each appointment booked here leads to the console's page for it, not the patient's.
    for appointment in (upcoming, past):
        assert f'href="/staff/schedule/appointments/{appointment.pk}/"' in html


def test_a_patient_with_no_appointments_and_no_contact_details(cast: Cast) -> None:
    text = _text(_page(cast, "clinic_admin", cast.unenrolled_patient))
    assert "Phone Not given Address Not given" in text
    assert "Portal account Not enrolled" in text
    assert "No upcoming appointments. Recent appointments No earlier appointments." in text


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("clinician", ["Open the chart", "Book an appointment"]),
        ("nurse", ["Open the chart", "Book an appointment"]),
        ("front_desk", ["Book an appointment", "Parents and caregivers", "Issue activation code"]),
        ("billing", ["Billing account"]),
        (
            "clinic_admin",
            [
                "Book an appointment",
                "Billing account",
                "Parents and caregivers",
                "Issue activation code",
            ],
        ),
    ],
)
def test_each_role_gets_the_links_it_may_use(cast: Cast, persona: str, expected: list[str]) -> None:
    patient = cast.unenrolled_patient
    pk = patient.pk
    addresses = {
        "Open the chart": f"/staff/patients/{pk}/chart/",
        "Book an appointment": f"/staff/schedule/book/?patient={pk}",
        "Billing account": f"/staff/billing/patients/{pk}/",
        "Parents and caregivers": f"/staff/patients/{pk}/access/",
        "Issue activation code": f"/staff/patients/{pk}/invite/",
    }
    actions = _actions(_page(cast, persona, patient))
    assert actions == [(label, addresses[label]) for label in expected]
    # Every link offered opens for this viewer.
    client = client_for(getattr(cast, persona))
    assert [client.get(address).status_code for _label, address in actions] == [200] * len(actions)


def test_no_activation_code_link_for_an_enrolled_patient(cast: Cast) -> None:
    assert "Issue activation code" not in _page(cast, "front_desk")


def test_an_enrolled_patient_can_be_sent_a_message_from_their_page(cast: Cast) -> None:
    # Pat has a portal account; the unenrolled patient of the test above has none to write to.
    actions = _actions(_page(cast, "nurse"))
    assert actions[:2] == [
        ("Open the chart", f"/staff/patients/{cast.patient.pk}/chart/"),
        ("Send a message", f"/staff/patients/{cast.patient.pk}/message/"),
    ]


def test_the_patient_list_links_each_name_to_the_patients_page(cast: Cast) -> None:
    html = client_for(cast.front_desk).get(reverse("staff:patient-list")).content.decode()
    assert f'<a href="/staff/patients/{cast.patient.pk}/">Patient, Pat</a>' in html
    assert "Open chart" not in html


def test_the_patient_list_offers_clinicians_the_chart(cast: Cast) -> None:
    html = client_for(cast.clinician).get(reverse("staff:patient-list")).content.decode()
    chart = f'<a href="/staff/patients/{cast.patient.pk}/chart/">Open chart'
    assert chart + '<span class="visually-hidden"> of Pat Patient</span></a>' in html


def _patient_link(html: str) -> str:
    found = re.search(r"<dt>Patient</dt><dd>(.*?)</dd>", html, re.S)
    assert found is not None
    return found.group(1)


def test_a_conversation_links_to_the_chart_or_the_patients_page(cast: Cast) -> None:
    thread = make_inbox(cast).write()
    url = reverse("staff:inbox-thread", args=[thread.pk])
    pk = cast.patient.pk
    assert _patient_link(client_for(cast.nurse).get(url).content.decode()) == (
        f'Pat Patient (<a href="/staff/patients/{pk}/chart/">Open chart'
        '<span class="visually-hidden"> of Pat Patient</span></a>\n)'
    )


def test_a_request_links_to_the_chart(cast: Cast) -> None:
    sent = submit_request(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        kind=RequestKind.RECORDS,
        details={"records": "My vaccination record"},
    )
    url = reverse("staff:inbox-request", args=[sent.pk])
    pk = cast.patient.pk
    for persona, link in (
        ("clinician", f'<a href="/staff/patients/{pk}/chart/">Open chart'),
        ("front_desk", f'<a href="/staff/patients/{pk}/">Patient\'s page'),
    ):
        assert link in _patient_link(client_for(getattr(cast, persona)).get(url).content.decode())


def test_an_appointment_links_to_the_chart_or_the_patients_page(cast: Cast) -> None:
    visit = make_desk(cast).book(
        cast.patient, datetime.datetime(2026, 3, 5, 10, 0, tzinfo=NEW_YORK)
    )
    url = reverse("staff:schedule-appointment", args=[visit.pk])
    pk = cast.patient.pk
    for persona, link in (
        ("nurse", f'<a href="/staff/patients/{pk}/chart/">Open chart'),
        ("front_desk", f'<a href="/staff/patients/{pk}/">Patient\'s page'),
    ):
        assert link in _patient_link(client_for(getattr(cast, persona)).get(url).content.decode())
