"""Account activity answers "Who has looked at my record?": others' views (staff by name and
role, caregivers by name, apps by name) apart from the patient's own activity, filtered by
person and dates; a caregiver sees it only with the account-settings scope."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.audit.services import record_event
from carebridge.testing.clients import client_for

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
URL = reverse("audit:activity")
MARCH = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=NEW_YORK)


def _view(actor: Any, patient: Any, acting_as: str, object_type: str, at: datetime.datetime):
    with time_machine.travel(at, tick=False):
        return record_event(
            actor=actor,
            action=AuditAction.VIEW,
            object_type=object_type,
            patient=patient,
            acting_as=acting_as,
        )


def _seed(cast: Any) -> None:
    _view(cast.clinician, cast.patient, "staff", "results", MARCH)
    _view(cast.proxies.full_caregiver, cast.patient, "proxy", "medications", MARCH.replace(day=2))
    _view(cast.front_desk, cast.patient, "staff", "patient_overview", MARCH.replace(day=3))
    _view(cast.patient_user, cast.patient, "self", "allergies", MARCH.replace(day=4))
    # Someone else's record: never on Pat's page.
    _view(cast.clinician, cast.second_patient, "staff", "results", MARCH.replace(day=5))


def _rows(response: Any, key: str) -> list[tuple[str, str]]:
    return [(row.who, row.what) for row in response.context[key]]


def test_others_views_are_apart_from_the_patients_own(cast, patient_client):
    _seed(cast)
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert _rows(response, "looked_rows") == [
        (
            "Fran Frontdesk (front desk)",
            "Viewed the patient's details and appointments in the clinic console",
        ),
        ("Cora Caregiver (caregiver or parent)", "Viewed the medicines"),
        ("Casey Clinician (clinician)", "Viewed the test results"),
    ]
    assert _rows(response, "own_rows") == [
        ("You", "Viewed the account activity"),
        ("You", "Viewed the allergies"),
    ]
    html = " ".join(response.content.decode().split())
    assert '<h2 id="looked-heading">Who has looked at your record</h2>' in html
    assert '<h2 id="own-heading">Your own activity</h2>' in html
    assert '<table class="stack">' in html
    assert '<td data-label="Who">Casey Clinician (clinician)</td>' in html


def test_the_person_filter_offers_the_people_who_appear_and_keeps_one(cast, patient_client):
    _seed(cast)
    response = patient_client.get(URL)
    choices = list(response.context["form"].fields["person"].choices)
    assert choices == [
        ("", "Everyone"),
        (f"person-{cast.clinician.pk}", "Casey Clinician"),
        (f"person-{cast.proxies.full_caregiver.pk}", "Cora Caregiver"),
        (f"person-{cast.front_desk.pk}", "Fran Frontdesk"),
    ]
    response = patient_client.get(URL, {"person": f"person-{cast.clinician.pk}"})
    assert _rows(response, "looked_rows") == [
        ("Casey Clinician (clinician)", "Viewed the test results")
    ]
    # The patient's own activity is not filtered by who looked.
    assert len(response.context["own_rows"]) == 3


def test_a_person_who_is_not_in_the_list_is_a_plain_error(cast, patient_client):
    _seed(cast)
    response = patient_client.get(URL, {"person": f"person-{cast.second_patient_user.pk}"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"person": ["Choose someone from the list."]}
    assert "looked_rows" not in response.context


def test_a_caregiver_with_the_account_scope_sees_the_patients_activity_by_name(cast):
    _seed(cast)
    cora = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    response = cora.get(URL)
    assert response.status_code == 200
    looked = _rows(response, "looked_rows")
    assert looked[0] == ("You", "Viewed the account activity")
    assert [who for who, _what in _rows(response, "own_rows")] == ["Pat Patient"]
    html = " ".join(response.content.decode().split())
    assert "Who has looked at Pat's record" in html
    assert "Pat's own activity" in html
    event = AuditEvent.objects.filter(object_type="account_activity").get()
    assert (event.actor, event.patient, event.acting_as) == (
        cast.proxies.full_caregiver,
        cast.patient,
        "proxy",
    )


def test_a_caregiver_without_the_account_scope_is_refused_and_nothing_recorded(cast):
    before = AuditEvent.objects.count()
    abe = client_for(cast.proxies.appointments_caregiver, acting_for=cast.patient)
    assert abe.get(URL).status_code == 404
    assert AuditEvent.objects.count() == before


PARAMS = st.dictionaries(
    st.sampled_from(["person", "date_from", "date_to", "page", "own_page"]),
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(["2025-03-01", "0001-01-01", "9999-12-31", "person-1", "app-x", "-1"]),
    ),
    max_size=5,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(params=PARAMS)
def test_any_filters_never_fail(cast, params):
    client = Client()
    client.force_login(cast.patient_user)
    clean = {key: value.replace("\x00", "") for key, value in params.items()}
    assert client.get(URL, clean).status_code == 200
