"""Connected apps: the patient (or the caregiver acting for her) sees each app connected to her
record, what it may see and when it last read, and disconnects it, which kills its tokens at
once and is audited. Another patient's connection is a 404 with nothing changed.
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from carebridge.audit.models import AuditEvent
from carebridge.fhir.auth import ApiAuthError, authenticate
from carebridge.fhir.models import AppRegistration, Connection
from carebridge.fhir.services.connections import disconnect_app
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.fhir import bearer, connect_app, issue_token, register_app
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

LIST_URL = "/account/apps/"
ABOUT = (
    "About connected apps A connected app is an app on your phone or computer that you allow to "
    "read the health record, for example to keep results and medicines in one place. Apps "
    "can only read: they cannot change anything. To connect one, open the app and choose this "
    "clinic. You sign in here, and we ask you which parts of the record the app may see. You can "
    "disconnect it here at any time: it stops reading at once."
)
BACK = "Back to my account"
CONNECTED_ON = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
READ_ON = datetime.datetime(2026, 3, 9, 15, 0, tzinfo=datetime.UTC)


def main_text(response: Any) -> str:
    """The page's main area as a reader sees it: tags removed, spaces collapsed."""
    assert response.status_code == 200
    html = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", "<" + html)).split())
    return re.sub(r" ([:,.)])", r"\1", words)


def _disconnect_url(connection: Connection) -> str:
    return f"/account/apps/{connection.pk}/disconnect/"


def _diary(cast: Cast, **fields: Any) -> Connection:
    """Pat's Health Diary, connected by Pat with the whole record, read once."""
    connection = connect_app(user=cast.patient_user, patient=cast.patient, **fields)
    Connection.objects.filter(pk=connection.pk).update(
        created_at=CONNECTED_ON, last_read_at=READ_ON
    )
    connection.refresh_from_db()
    return connection


def _refusal(token: str) -> int:
    with pytest.raises(ApiAuthError) as refused:
        authenticate(RequestFactory().get("/fhir/Patient", headers=bearer(token)))
    return refused.value.status


def test_an_empty_list_says_what_connected_apps_are(cast: Cast) -> None:
    text = main_text(client_for(cast.patient_user).get(LIST_URL))
    assert text == f"Connected apps No apps are connected. {ABOUT} {BACK}"


def test_the_patient_sees_each_app_what_it_may_see_and_when_it_read(cast: Cast) -> None:
    _diary(cast)
    labs = connect_app(
        user=cast.proxies.full_caregiver,
        patient=cast.patient,
        scope="launch/patient patient/Observation.rs?category=laboratory "
        "patient/MedicationRequest.rs patient/Medication.rs offline_access",
        acting_as="proxy",
        application=register_app(cast.patient, name="Lab Tracker"),
    )
    # The newest connection comes first.
    Connection.objects.filter(pk=labs.pk).update(
        created_at=CONNECTED_ON + datetime.timedelta(days=1)
    )
    text = main_text(client_for(cast.patient_user).get(LIST_URL))
    assert text == (
        "Connected apps "
        "Lab Tracker Connected by Cora Caregiver Connected on March 5, 2026 "
        "Last read the record Never What it may see Test results Medicines "
        "For how long Until it is disconnected Disconnect Lab Tracker "
        "Health Diary Connected by You Connected on March 4, 2026 "
        "Last read the record March 9, 2026 "
        "What it may see The whole health record Who is signed in (name only) "
        "For how long Only while the person who connected it is using it Disconnect Health Diary "
        f"{ABOUT} {BACK}"
    )


def test_the_caregiver_sees_the_apps_connected_for_pat(cast: Cast) -> None:
    _diary(cast)
    caregiver = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    text = main_text(caregiver.get(LIST_URL))
    assert text == (
        "Connected apps Apps that may read Pat Patient\u2019s health record. "
        "Health Diary Connected by Pat Patient Connected on March 4, 2026 "
        "Last read the record March 9, 2026 "
        "What it may see The whole health record Who is signed in (name only) "
        "For how long Only while the person who connected it is using it Disconnect Health Diary "
        f"{ABOUT} {BACK}"
    )


def test_the_page_view_is_audited_for_the_patient(cast: Cast) -> None:
    client_for(cast.proxies.full_caregiver, acting_for=cast.patient).get(LIST_URL)
    event = AuditEvent.objects.get(object_type="connected_apps")
    assert (event.action, event.patient, event.actor, event.acting_as) == (
        "view",
        cast.patient,
        cast.proxies.full_caregiver,
        "proxy",
    )


def test_a_withdrawn_app_says_so(cast: Cast) -> None:
    connection = _diary(cast)
    AppRegistration.objects.filter(application=connection.application).update(is_active=False)
    text = main_text(client_for(cast.patient_user).get(LIST_URL))
    assert (
        "Health Diary This app was withdrawn by the clinic. It can no longer read the record. "
        "Connected by You" in text
    )


def test_the_confirmation_page_asks_first_and_changes_nothing(cast: Cast) -> None:
    connection = _diary(cast)
    text = main_text(client_for(cast.patient_user).get(_disconnect_url(connection)))
    assert text == (
        "Disconnect Health Diary The app stops reading the health record at once. What it has "
        "already read stays in the app: ask the app\u2019s makers if you want it removed. "
        "To use the app again later, connect it again from the app. Disconnect it "
        "Keep it connected and go back"
    )
    connection.refresh_from_db()
    assert connection.revoked_at is None


def test_disconnecting_kills_every_token_at_once_and_is_audited(cast: Cast) -> None:
    connection = _diary(cast)
    first, second = issue_token(connection), issue_token(connection)
    refresh = RefreshToken.objects.create(
        user=cast.patient_user,
        application=connection.application,
        token="refresh-1",
        access_token=AccessToken.objects.get(token=second),
    )
    client = client_for(cast.patient_user)
    response = client.post(_disconnect_url(connection))
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == ["“Health Diary” is disconnected."]
    connection.refresh_from_db()
    assert connection.revoked_at is not None
    assert (_refusal(first), _refusal(second)) == (401, 401)
    assert AccessToken.objects.filter(token__in=[first, second]).count() == 0
    refresh.refresh_from_db()
    assert refresh.revoked == connection.revoked_at
    event = AuditEvent.objects.get(object_type="app_connection", action="delete")
    assert (event.patient, event.actor, event.acting_as, event.object_id, event.changes) == (
        cast.patient,
        cast.patient_user,
        "self",
        str(connection.pk),
        {"revoked_at": {"before": None, "after": connection.revoked_at.isoformat()}},
    )
    day = timezone.localdate(connection.revoked_at, ZoneInfo(cast.clinic.time_zone))
    text = main_text(client.get(LIST_URL))
    assert text == (
        f"“Health Diary” is disconnected. Connected apps No apps are connected. {ABOUT} "
        f"Disconnected apps Health Diary: Disconnected on {day:%B} {day.day}, {day.year} {BACK}"
    )


def test_the_caregiver_disconnects_an_app_pat_connected(cast: Cast) -> None:
    connection = _diary(cast)
    token = issue_token(connection)
    caregiver = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    assert caregiver.post(_disconnect_url(connection)).status_code == 302
    assert _refusal(token) == 401
    event = AuditEvent.objects.get(object_type="app_connection", action="delete")
    assert (event.actor, event.acting_as) == (cast.proxies.full_caregiver, "proxy")


def test_another_patients_connection_is_a_404_and_nothing_changes(cast: Cast) -> None:
    connection = connect_app(user=cast.second_patient_user, patient=cast.second_patient)
    token = issue_token(connection)
    client = client_for(cast.patient_user)
    assert client.get(_disconnect_url(connection)).status_code == 404
    assert client.post(_disconnect_url(connection)).status_code == 404
    connection.refresh_from_db()
    assert connection.revoked_at is None
    assert authenticate(RequestFactory().get("/", headers=bearer(token))).connection == connection
    # Both attempts are recorded as denied against Sam, whose connection it is; nothing else.
    events = AuditEvent.objects.filter(object_type="app_connection").order_by("sequence")
    assert [(e.action, e.outcome, e.patient, e.actor, e.object_id) for e in events] == [
        ("view", "denied", cast.second_patient, cast.patient_user, str(connection.pk))
    ] * 2


def test_a_caregiver_for_appointments_only_gets_a_404(cast: Cast) -> None:
    connection = _diary(cast)
    client = client_for(cast.proxies.appointments_caregiver, acting_for=cast.patient)
    assert client.get(LIST_URL).status_code == 404
    assert client.post(_disconnect_url(connection)).status_code == 404
    connection.refresh_from_db()
    assert connection.revoked_at is None


def test_disconnecting_twice_changes_nothing_the_second_time(cast: Cast) -> None:
    connection = _diary(cast)
    assert disconnect_app(actor=cast.patient_user, connection=connection, request=None)
    first = connection.revoked_at
    assert not disconnect_app(actor=cast.patient_user, connection=connection, request=None)
    connection.refresh_from_db()
    assert connection.revoked_at == first
    assert AuditEvent.objects.filter(object_type="app_connection").count() == 1


def test_the_account_page_and_the_help_page_link_here(cast: Cast) -> None:
    client = client_for(cast.patient_user)
    link = f'<a href="{LIST_URL}">'
    assert link + "Connected apps: apps that may read your record</a>" in (
        client.get("/account/").content.decode()
    )
    assert link + "Connected apps</a>" in client.get("/help/").content.decode()


# Sign-in, acting context, session and audit queries, plus one for the apps: the same for one
# app or many.
LIST_BUDGET = 16


@pytest.mark.parametrize("apps", [1, 4])
def test_the_list_costs_the_same_however_many_apps(
    cast: Cast, apps: int, django_assert_max_num_queries: Any
) -> None:
    for _ in range(apps):
        _diary(cast)
        gone = _diary(cast)
        Connection.objects.filter(pk=gone.pk).update(revoked_at=READ_ON)
    client = client_for(cast.patient_user)
    # The first page of a session also writes the session; count a later one.
    client.get(LIST_URL)
    with django_assert_max_num_queries(LIST_BUDGET):
        assert client.get(LIST_URL).status_code == 200
