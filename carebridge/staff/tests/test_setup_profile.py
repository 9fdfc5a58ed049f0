"""The clinic profile page: name, contact details, wording for patients, time zone and colour.

Clinic administrators change their own clinic's profile; every change is audited with exactly
the fields that changed; a colour too light for white text is refused with its ratio; the
portal then shows the clinic's name, colours and wording to its patients and staff.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import Clinic
from carebridge.core import context_processors
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

URL = "/staff/setup/clinic/"


def _form(**changes: str) -> dict[str, str]:
    return {
        "name": "Riverside Family Clinic",
        "phone": "555-0100",
        "address": "",
        "opening_hours": "",
        "help_for_patients": "",
        "emergency_wording": "",
        "time_zone": "America/New_York",
        "brand_colour": "#0b5394",
        "vital_units": "us",
    } | changes


def _profile_events() -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        (event.action, event.object_id, event.changes)
        for event in AuditEvent.objects.filter(object_type="clinic_profile").order_by("sequence")
    ]


def test_the_page_shows_the_clinics_details(cast: Cast) -> None:
    response = client_for(cast.clinic_admin).get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial == _form()


def test_the_admin_saves_the_profile_and_the_change_is_audited(cast: Cast) -> None:
    data = _form(
        name="Riverside Health",
        phone="555-0199",
        address="12 Main Street\nSpringfield, MA 01101",
        opening_hours="Monday to Friday, 8 am to 6 pm",
        help_for_patients="Call us for a same-day visit.",
        emergency_wording="In an emergency, call 911 or go to Springfield General.",
        time_zone="America/Chicago",
        brand_colour="#1D6B34",
    )
    response = client_for(cast.clinic_admin).post(URL, data)
    assert (response.status_code, response["Location"]) == (302, URL)
    assert flashed(response) == ["Saved. Patients see the new details from now on."]
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert (clinic.name, clinic.phone, clinic.address, clinic.time_zone, clinic.brand_colour) == (
        "Riverside Health",
        "555-0199",
        "12 Main Street\nSpringfield, MA 01101",
        "America/Chicago",
        "#1d6b34",
    )
    assert clinic.branding_version == 2
    assert _profile_events() == [
        (
            "update",
            str(cast.clinic.pk),
            {
                "address": {"before": "", "after": "12 Main Street\nSpringfield, MA 01101"},
                "brand_colour": {"before": "#0b5394", "after": "#1d6b34"},
                "emergency_wording": {
                    "before": "",
                    "after": "In an emergency, call 911 or go to Springfield General.",
                },
                "help_for_patients": {"before": "", "after": "Call us for a same-day visit."},
                "name": {"before": "Riverside Family Clinic", "after": "Riverside Health"},
                "opening_hours": {"before": "", "after": "Monday to Friday, 8 am to 6 pm"},
                "phone": {"before": "555-0100", "after": "555-0199"},
                "time_zone": {"before": "America/New_York", "after": "America/Chicago"},
            },
        )
    ]
    event = AuditEvent.objects.get(object_type="clinic_profile")
    assert (event.actor_id, event.acting_as, event.patient_id) == (
        cast.clinic_admin.pk,
        "staff",
        None,
    )
    other = Clinic.objects.get(pk=cast.other_clinic.pk)
    assert (other.name, other.brand_colour) == ("Hilltop Health", "#0b5394")


def test_saving_without_a_change_records_nothing(cast: Cast) -> None:
    response = client_for(cast.clinic_admin).post(URL, _form())
    assert response.status_code == 302
    assert _profile_events() == []
    assert Clinic.objects.get(pk=cast.clinic.pk).branding_version == 1


def test_only_the_changed_field_is_recorded(cast: Cast) -> None:
    client_for(cast.clinic_admin).post(URL, _form(phone="555-0123"))
    assert _profile_events() == [
        ("update", str(cast.clinic.pk), {"phone": {"before": "555-0100", "after": "555-0123"}})
    ]
    # The colour did not change, so its stylesheet's address stays the same.
    assert Clinic.objects.get(pk=cast.clinic.pk).branding_version == 1


@pytest.mark.parametrize(
    ("colour", "error"),
    [
        (
            "#777777",
            "White text on this colour has a contrast of 4.47 to 1; at least 4.5 to 1 is "
            "needed so everyone can read it. Choose a darker colour.",
        ),
        (
            "#ffff00",
            "White text on this colour has a contrast of 1.07 to 1; at least 4.5 to 1 is "
            "needed so everyone can read it. Choose a darker colour.",
        ),
        ("red", "Enter the colour as # and six hexadecimal digits, such as #0b5394."),
        ("#12345", "Enter the colour as # and six hexadecimal digits, such as #0b5394."),
    ],
)
def test_a_colour_white_text_cannot_be_read_on_is_refused(
    cast: Cast, colour: str, error: str
) -> None:
    response = client_for(cast.clinic_admin).post(URL, _form(brand_colour=colour, phone="1"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"brand_colour": [error]}
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert (clinic.brand_colour, clinic.phone) == ("#0b5394", "555-0100")
    assert _profile_events() == []


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"time_zone": "Mars/Olympus"},
            {
                "time_zone": [
                    "“Mars/Olympus” is not a time zone; use a name such as America/New_York."
                ]
            },
        ),
        ({"name": ""}, {"name": ["This field is required."]}),
        ({"brand_colour": ""}, {"brand_colour": ["This field is required."]}),
    ],
)
def test_other_bad_input_is_refused(
    cast: Cast, changes: dict[str, str], errors: dict[str, list[str]]
) -> None:
    response = client_for(cast.clinic_admin).post(URL, _form(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert _profile_events() == []


def test_other_staff_cannot_change_it(cast: Cast) -> None:
    for user in (cast.nurse, cast.front_desk, cast.patient_user):
        assert client_for(user).post(URL, _form(name="Taken over")).status_code == 404
    assert Clinic.objects.get(pk=cast.clinic.pk).name == "Riverside Family Clinic"
    assert _profile_events() == []


def test_the_other_clinics_admin_changes_only_her_own_clinic(cast: Cast) -> None:
    response = client_for(cast.other_clinic_admin).post(URL, _form(name="Hilltop Care"))
    assert response.status_code == 302
    assert Clinic.objects.get(pk=cast.other_clinic.pk).name == "Hilltop Care"
    assert Clinic.objects.get(pk=cast.clinic.pk).name == "Riverside Family Clinic"


def _brand(body: str) -> str:
    found = re.search(r'<a class="brand" href="[^"]*">(.*?)</a>', body)
    assert found is not None
    return found.group(1)


def test_patients_and_staff_see_the_clinics_name_colours_and_emergency_wording(
    cast: Cast,
) -> None:
    client_for(cast.clinic_admin).post(
        URL,
        _form(
            name="Riverside Health",
            brand_colour="#1d6b34",
            emergency_wording="Call 911 or go to Springfield General.",
        ),
    )
    stylesheet = '<link rel="stylesheet" href="/brand/riverside/colours-2.css">'
    for user in (cast.patient_user, cast.nurse):
        body = client_for(user).get("/", follow=True).content.decode()
        assert _brand(body) == "Riverside Health"
        assert stylesheet in body
        assert "<p><strong>Call 911 or go to Springfield General.</strong></p>" in body
        assert "This portal is not watched around the clock." not in body
    other = client_for(cast.other_clinic_admin).get("/staff/").content.decode()
    assert _brand(other) == "Hilltop Health"
    assert "This portal is not watched around the clock." in other
    css = Client().get("/brand/riverside/colours-2.css")
    assert css.status_code == 200
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css["Cache-Control"] == "public, max-age=31536000, immutable"
    assert css.content.decode() == ":root { --brand: #1d6b34; --brand-dark: #134622; }\n"


def test_an_old_stylesheet_address_sends_to_the_current_one(cast: Cast) -> None:
    response = Client().get("/brand/riverside/colours-1.css")
    assert response.status_code == 200
    Clinic.objects.filter(pk=cast.clinic.pk).update(branding_version=3)
    response = Client().get("/brand/riverside/colours-1.css")
    assert (response.status_code, response["Location"]) == (302, "/brand/riverside/colours-3.css")
    assert Client().get("/brand/nowhere/colours-1.css").status_code == 404


def test_signed_out_pages_with_two_clinics_show_plain_carebridge(cast: Cast) -> None:
    body = Client().get("/help/").content.decode()
    # Two clinics here: a signed-out page cannot tell which one is the visitor's.
    assert _brand(body) == "Carebridge"
    assert "/brand/" not in body
    assert "<title>Help · Carebridge</title>" in body


def test_the_help_page_shows_the_clinics_help(cast: Cast) -> None:
    client_for(cast.clinic_admin).post(
        URL,
        _form(
            address="12 Main Street\nSpringfield, MA 01101",
            opening_hours="Weekdays 8 to 6",
            help_for_patients="Ask at the desk.",
        ),
    )
    body = client_for(cast.patient_user).get("/help/").content.decode()
    assert '<p class="clinic-address">12 Main Street<br>Springfield, MA 01101</p>' in body
    assert '<p class="clinic-hours">Weekdays 8 to 6</p>' in body
    assert "<p>Ask at the desk.</p>" in body


def _queries(client: Client, path: str) -> list[str]:
    """The page's queries, less the sign-in session's own bookkeeping, which allauth writes
    now and then (when its last-seen time is old enough), whatever the page."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if "usersessions_usersession" not in query["sql"] and "SAVEPOINT" not in query["sql"]
    ]


@pytest.mark.parametrize(("persona", "path"), [("patient_user", "/"), ("nurse", "/staff/")])
def test_the_clinic_costs_no_extra_query_for_a_signed_in_page(
    cast: Cast, persona: str, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(getattr(cast, persona))
    client.get(path)
    with monkeypatch.context() as patched:
        # The page as it was before it showed the clinic.
        patched.setattr(context_processors, "get_page_clinic", lambda request: None)
        without = _queries(client, path)
    with_clinic = _queries(client, path)
    assert len(with_clinic) == len(without)
    assert not [sql for sql in with_clinic if 'FROM "clinic_clinic"' in sql]
    assert _brand(client.get(path).content.decode()) == "Riverside Family Clinic"


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
colours = st.one_of(st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}"), text)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=text, phone=text, hours=text, emergency=text, colour=colours)
def test_any_input_is_saved_exactly_or_refused_never_a_server_error(
    cast: Cast, name: str, phone: str, hours: str, emergency: str, colour: str
) -> None:
    data = _form(
        name=name,
        phone=phone,
        opening_hours=hours,
        emergency_wording=emergency,
        brand_colour=colour,
    )
    response = client_for(cast.clinic_admin).post(URL, data)
    assert response.status_code in (200, 302)
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    if response.status_code == 302:
        assert clinic.name == name.strip()
        assert clinic.brand_colour == colour.lower()
        assert clinic.opening_hours == hours.strip()
        assert clinic.emergency_wording == emergency.strip()
        assert clinic.phone == phone.strip()
    else:
        assert response.context["form"].errors


def test_a_caregiver_sees_the_clinic_of_the_patient_they_act_for(cast: Cast) -> None:
    client_for(cast.clinic_admin).post(URL, _form(name="Riverside Health"))
    caregiver = cast.proxies.full_caregiver
    body = client_for(caregiver, acting_for=cast.patient).get("/").content.decode()
    assert _brand(body) == "Riverside Health"
    assert '<link rel="stylesheet" href="/brand/riverside/colours-1.css">' in body


def test_the_units_for_vital_signs_are_a_choice_saved_and_audited(cast: Cast) -> None:
    html = client_for(cast.clinic_admin).get(URL).content.decode()
    assert 'type="radio" name="vital_units" value="metric"' in html
    client_for(cast.clinic_admin).post(URL, _form(vital_units="metric"))
    assert Clinic.objects.get(pk=cast.clinic.pk).vital_units == "metric"
    assert _profile_events() == [
        (
            "update",
            str(cast.clinic.pk),
            {"vital_units": {"before": "us", "after": "metric"}},
        )
    ]


def test_units_that_are_not_a_choice_are_refused(cast: Cast) -> None:
    response = client_for(cast.clinic_admin).post(URL, _form(vital_units="imperial"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "vital_units": ["Select a valid choice. imperial is not one of the available choices."]
    }
    assert Clinic.objects.get(pk=cast.clinic.pk).vital_units == "us"
    assert _profile_events() == []
