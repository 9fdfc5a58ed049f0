"""The app register: clinic administrators list, register, change and withdraw the apps their
patients may connect.

A registration creates the OAuth 2.0 application (authorization code grant, RS256, the consent
page always shown) and shows its client id, and a confidential client's secret, once. Redirect
addresses must be https (or http on localhost). Withdrawing an app stops its tokens at once.
Another clinic's app is a 404 with nothing changed. Every change is audited exactly.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oauth2_provider.models import Application

from carebridge.audit.models import AuditEvent
from carebridge.fhir.auth import ApiAuthError, authenticate
from carebridge.fhir.models import AppRegistration
from carebridge.staff.apps_setup.forms import AppRegistrationForm, is_allowed_redirect_uri
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.factories import make_patient
from carebridge.testing.fhir import bearer, connect_app, issue_token, register_app
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

LIST_URL = "/staff/setup/apps/"
ADD_URL = "/staff/setup/apps/add/"
# Sign-in, staff role and session queries, plus one for the apps: the same for one app or many.
LIST_BUDGET = 14
DIARY = {
    "name": " Health  Diary ",
    "description": "Keeps your results in one place.",
    "website": "https://diary.example",
    "client_type": "public",
    "redirect_uris": "https://diary.example/callback\r\n\r\nhttp://localhost:8080/cb\r\n",
}


def main_text(response: Any) -> str:
    assert response.status_code == 200
    html = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", "<" + html)).split())


def _events() -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        (event.action, event.object_id, event.changes)
        for event in AuditEvent.objects.filter(object_type="api_app").order_by("sequence")
    ]


def _url(app: Application, action: str = "") -> str:
    return f"{LIST_URL}{app.registration.pk}/{action}"


def test_the_list_shows_our_apps_with_their_connected_patients(cast: Cast) -> None:
    diary = register_app(cast.patient, name="Health Diary")
    connect_app(user=cast.patient_user, patient=cast.patient, application=diary)
    connect_app(user=cast.proxies.full_caregiver, patient=cast.patient, application=diary)
    gone = connect_app(
        user=cast.second_patient_user, patient=cast.second_patient, application=diary
    )
    gone.revoked_at = gone.created_at
    gone.save()
    register_app(cast.patient, name="Lab Tracker", confidential=True)
    register_app(make_patient(cast.other_clinic, mrn="OTHER-1"), name="Other Clinic App")
    text = main_text(client_for(cast.clinic_admin).get(LIST_URL))
    assert text.split("Register an app ", 1)[1] == (
        "2 apps Name Kind Redirect addresses Offered Patients connected "
        "Health Diary (change) Public http://127.0.0.1:9999/callback Yes 1 "
        "Lab Tracker (change) Confidential http://127.0.0.1:9999/callback Yes 0 "
        "Back to clinic set-up"
    )


def test_registering_a_public_app_shows_its_client_id_and_no_secret(cast: Cast) -> None:
    response = client_for(cast.clinic_admin).post(ADD_URL, DIARY)
    app = Application.objects.get()
    assert main_text(response) == (
        "Health Diary is registered Give the app's makers these details. "
        f"Client id {app.client_id} Back to the apps"
    )
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    registration = app.registration
    assert (
        app.name,
        app.client_type,
        app.authorization_grant_type,
        app.algorithm,
        app.skip_authorization,
        app.redirect_uris,
    ) == (
        "Health Diary",
        "public",
        "authorization-code",
        "RS256",
        False,
        "https://diary.example/callback http://localhost:8080/cb",
    )
    assert (registration.clinic, registration.registered_by, registration.is_active) == (
        cast.clinic,
        cast.clinic_admin,
        True,
    )
    assert _events() == [
        (
            "create",
            str(registration.pk),
            {
                "client_type": {"before": None, "after": "public"},
                "description": {"before": None, "after": "Keeps your results in one place."},
                "is_active": {"before": None, "after": True},
                "name": {"before": None, "after": "Health Diary"},
                "redirect_uris": {
                    "before": None,
                    "after": ["https://diary.example/callback", "http://localhost:8080/cb"],
                },
                "website": {"before": None, "after": "https://diary.example"},
            },
        )
    ]


def test_a_confidential_apps_secret_is_shown_once_and_stored_hashed(cast: Cast) -> None:
    client = client_for(cast.clinic_admin)
    response = client.post(ADD_URL, DIARY | {"client_type": "confidential"})
    app = Application.objects.get()
    text = main_text(response)
    secret = text.split("Client secret ", 1)[1].split(" ", 1)[0]
    assert text == (
        "Health Diary is registered Give the app's makers these details. Copy the secret now: "
        "this is the only time it is shown. If it is lost, register the app again. "
        f"Client id {app.client_id} Client secret {secret} Back to the apps"
    )
    assert len(secret) >= 40
    assert app.client_secret != secret
    assert check_password(secret, app.client_secret)
    # Nowhere else: not on the list, not on the app's page, not in the audit trail.
    for url in (LIST_URL, _url(app)):
        assert secret not in client.get(url).content.decode()
    assert secret not in str(_events())


@pytest.mark.parametrize(
    ("uris", "error"),
    [
        ("", "Enter at least one redirect address."),
        ("\r\n  \r\n", "Enter at least one redirect address."),
        (
            "http://diary.example/cb",
            "“http://diary.example/cb” is not an address we can send patients back to. Use a "
            "full https:// address (or http://localhost for testing), without spaces or #.",
        ),
        (
            "https://diary.example/cb#top",
            "“https://diary.example/cb#top” is not an address we can send patients back to. Use "
            "a full https:// address (or http://localhost for testing), without spaces or #.",
        ),
        (
            "\n".join(f"https://a.example/{n}" for n in range(11)),
            "Enter at most 10 redirect addresses.",
        ),
    ],
)
def test_bad_redirect_addresses_are_refused_and_nothing_is_saved(
    cast: Cast, uris: str, error: str
) -> None:
    response = client_for(cast.clinic_admin).post(ADD_URL, DIARY | {"redirect_uris": uris})
    assert response.status_code == 200
    assert response.context["form"].errors == {"redirect_uris": [error]}
    assert (Application.objects.count(), _events()) == (0, [])


@pytest.mark.parametrize(
    ("uri", "allowed"),
    [
        ("https://diary.example/callback?x=1", True),
        ("https://diary.example:8443/cb", True),
        ("http://localhost/cb", True),
        ("http://127.0.0.1:9999/callback", True),
        ("http://localhost.evil.example/cb", False),
        ("http://diary.example/cb", False),
        ("https:///cb", False),
        ("https://user:pw@diary.example/cb", False),
        ("https://diary.example:port/cb", False),
        ("com.example.diary:/callback", False),
        ("javascript:alert(1)", False),
        ("https://diary.example/a b", False),
        ("diary.example/cb", False),
    ],
)
def test_which_redirect_addresses_are_allowed(uri: str, allowed: bool) -> None:
    assert is_allowed_redirect_uri(uri) is allowed


FORM_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
# Lines that are often allowed addresses, sometimes nearly so, sometimes anything at all.
URI_LINE = st.one_of(
    st.builds(
        "{}://{}{}/{}".format,
        st.sampled_from(["https", "http", "ftp", "HTTPS", ""]),
        st.sampled_from(["diary.example", "localhost", "127.0.0.1", "", "a b", "[::1"]),
        st.sampled_from(["", ":8080", ":x", ":99999"]),
        st.text(st.characters(codec="utf-8"), max_size=20),
    ),
    FORM_TEXT,
)
URIS = st.lists(URI_LINE, max_size=12).map("\n".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=FORM_TEXT,
    description=FORM_TEXT,
    website=FORM_TEXT,
    client_type=st.sampled_from(["public", "confidential", "", "other"]),
    uris=URIS,
)
def test_the_registration_form_never_fails_and_keeps_only_allowed_addresses(
    name: str, description: str, website: str, client_type: str, uris: str
) -> None:
    form = AppRegistrationForm(
        {
            "name": name,
            "description": description,
            "website": website,
            "client_type": client_type,
            "redirect_uris": uris,
        }
    )
    if form.is_valid():
        details = form.details()
        assert 1 <= len(details.redirect_uris) <= 10
        assert all(is_allowed_redirect_uri(uri) for uri in details.redirect_uris)
        assert details.name == " ".join(details.name.split()) != ""
        assert client_type in {"public", "confidential"}
    else:
        assert form.errors


def test_the_admin_changes_name_description_and_addresses(cast: Cast) -> None:
    app = register_app(cast.patient, name="Health Diary")
    response = client_for(cast.clinic_admin).post(
        _url(app),
        {
            "name": "Health Diary Plus",
            "description": "",
            "redirect_uris": "https://diary.example/cb",
        },
    )
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == ["The changes are saved."]
    app.refresh_from_db()
    assert (app.name, app.redirect_uris) == ("Health Diary Plus", "https://diary.example/cb")
    assert _events() == [
        (
            "update",
            str(app.registration.pk),
            {
                "name": {"before": "Health Diary", "after": "Health Diary Plus"},
                "redirect_uris": {
                    "before": ["http://127.0.0.1:9999/callback"],
                    "after": ["https://diary.example/cb"],
                },
            },
        )
    ]


def test_withdrawing_an_app_stops_its_tokens_at_once(cast: Cast) -> None:
    app = register_app(cast.patient, name="Health Diary")
    connection = connect_app(user=cast.patient_user, patient=cast.patient, application=app)
    token = issue_token(connection)
    client = client_for(cast.clinic_admin)
    assert "Patients will no longer be able to connect this app" in main_text(
        client.get(_url(app, "withdraw/"))
    )
    response = client.post(_url(app, "withdraw/"))
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == ["“Health Diary” is withdrawn."]
    with pytest.raises(ApiAuthError) as refused:
        authenticate(RequestFactory().get("/fhir/Patient", headers=bearer(token)))
    assert refused.value.status == 401
    assert _events() == [
        ("update", str(app.registration.pk), {"is_active": {"before": True, "after": False}})
    ]
    patient_page = client_for(cast.patient_user).get("/account/apps/").content.decode()
    assert "This app was withdrawn by the clinic." in patient_page
    # Withdrawing again changes nothing and records nothing.
    client.post(_url(app, "withdraw/"))
    assert len(_events()) == 1


def test_another_clinics_app_is_a_404_and_nothing_changes(cast: Cast) -> None:
    app = register_app(cast.patient, name="Health Diary")
    other = client_for(cast.other_clinic_admin)
    assert other.get(_url(app)).status_code == 404
    assert (
        other.post(_url(app), {"name": "Mine", "redirect_uris": "https://x.example/"}).status_code
        == 404
    )
    assert other.post(_url(app, "withdraw/")).status_code == 404
    app.refresh_from_db()
    registration = AppRegistration.objects.get()
    assert (app.name, registration.is_active, _events()) == ("Health Diary", True, [])
    assert "Health Diary" not in other.get(LIST_URL).content.decode()


@pytest.mark.parametrize("apps", [1, 4])
def test_the_list_costs_the_same_however_many_apps(
    cast: Cast, apps: int, django_assert_max_num_queries: Any
) -> None:
    for number in range(apps):
        app = register_app(cast.patient, name=f"App {number}")
        connect_app(user=cast.patient_user, patient=cast.patient, application=app)
    client = client_for(cast.clinic_admin)
    # The first page of a session also writes the session; count a later one.
    client.get(LIST_URL)
    with django_assert_max_num_queries(LIST_BUDGET):
        assert client.get(LIST_URL).status_code == 200


def test_the_change_page_shows_the_client_id_and_the_current_settings(cast: Cast) -> None:
    app = register_app(cast.patient, name="Health Diary", confidential=True)
    response = client_for(cast.clinic_admin).get(_url(app))
    text = main_text(response)
    assert text.startswith(
        f"Change Health Diary Client id {app.client_id} Kind Confidential Offered Yes "
    )
    assert text.endswith("Save Withdraw Health Diary Back to the apps")
    assert response.context["form"].initial == {
        "name": "Health Diary",
        "description": "",
        "redirect_uris": "http://127.0.0.1:9999/callback",
    }
