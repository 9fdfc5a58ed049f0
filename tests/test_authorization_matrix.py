"""Every URL against every persona: the exact outcome, and nothing changed when denied."""

from __future__ import annotations

import copy
from http.cookies import SimpleCookie

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pytest_django.fixtures import Settings

from carebridge.testing.clients import persona_client
from carebridge.testing.matrix import (
    NOT_FOUND,
    OK,
    TO_HOME,
    TO_LOGIN,
    UNAUTHORISED,
    Expect,
    Route,
    expectations,
    snapshot,
    url,
)
from carebridge.testing.personas import PERSONAS, Cast
from tests.routes import (
    appointments,
    billing_pages,
    billing_paying,
    billing_plans,
    care_requests,
    caregivers,
    checkin,
    downloads,
    fhir_api,
    fhir_api_more,
    fhir_apps,
    fhir_smart,
    first_visit,
    language,
    messaging,
    notifications,
    results,
    sections,
    staff_billing,
    staff_booking_setup,
    staff_chart,
    staff_comments,
    staff_inbox,
    staff_insurance,
    staff_notices,
    staff_people,
    staff_proxies,
    staff_records,
    staff_schedule,
    staff_setup,
    waitlist,
)

# Patterns the matrix does not cover, and why.
NOT_IN_MATRIX = {
    # Django's admin has its own permission checks, behind allauth's login and MFA.
    "admin:",
}

# Changing password or two-step settings needs a fresh password within the last 5 minutes; a
# persona signed in by the test harness has not typed one, so allauth asks again first.
REAUTH = Expect(302, "/account/reauthenticate/")
SIGNED_IN_PAGE = expectations(OK)
SENSITIVE_PAGE = expectations(REAUTH, no_mfa=REAUTH)
FORBIDDEN = Expect(403)


def invite_url(cast: Cast) -> str:
    return reverse("staff:patient-invite", args=[cast.unenrolled_patient.pk])


ROUTES = [
    Route(
        "home:home",
        url("home:home"),
        expectations(OK, visitor=Expect(302, "/account/"), staff=Expect(302, "/staff/")),
    ),
    Route("home:help", url("home:help"), expectations(OK, anonymous=OK, no_mfa=OK)),
    Route("accounts:overview", url("accounts:overview"), SIGNED_IN_PAGE),
    Route("accounts:enrol", url("accounts:enrol"), expectations(TO_HOME, anonymous=OK)),
    Route(
        "accounts:enrol-email",
        url("accounts:enrol-email"),
        expectations(Expect(302, "/account/enrol/"), anonymous=Expect(302, "/account/enrol/")),
    ),
    Route(
        "accounts:enrol-verify",
        url("accounts:enrol-verify", "not-a-real-token"),
        expectations(NOT_FOUND, anonymous=NOT_FOUND),
    ),
    Route("accounts:enrol-done", url("accounts:enrol-done"), SIGNED_IN_PAGE),
    Route(
        "accounts:session-status",
        url("accounts:session-status"),
        expectations(OK, anonymous=UNAUTHORISED, no_mfa=OK),
    ),
    Route(
        "accounts:session-keepalive",
        url("accounts:session-keepalive"),
        expectations(OK, anonymous=UNAUTHORISED, no_mfa=OK),
        method="post",
    ),
    # A caregiver or parent sees the patient's activity only with the account-settings scope:
    # Cora has it; Abe was not given it; Terry's was taken by the teen rules.
    Route(
        "audit:activity",
        url("audit:activity"),
        expectations(OK, appointments_caregiver=NOT_FOUND, parent_of_teen=NOT_FOUND),
    ),
    Route("staff:console", url("staff:console"), expectations(NOT_FOUND, staff=OK)),
    Route("staff:patient-list", url("staff:patient-list"), expectations(NOT_FOUND, staff=OK)),
    Route(
        "staff:patient-invite", invite_url, expectations(NOT_FOUND, front_desk=OK, clinic_admin=OK)
    ),
    Route(
        "staff:patient-invite",
        invite_url,
        expectations(NOT_FOUND, front_desk=OK, clinic_admin=OK),
        method="post",
    ),
    Route(
        "staff:audit-report",
        url("staff:audit-report"),
        expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK),
    ),
    Route(
        "staff:audit-report-csv",
        url("staff:audit-report-csv"),
        expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK),
    ),
    # allauth's pages, as Carebridge configures them.
    Route("account_login", url("account_login"), expectations(TO_HOME, anonymous=OK)),
    Route("account_logout", url("account_logout"), expectations(OK, anonymous=TO_HOME, no_mfa=OK)),
    Route("account_inactive", url("account_inactive"), expectations(OK, anonymous=OK)),
    Route("account_signup", url("account_signup"), expectations(TO_HOME, anonymous=OK)),
    Route("account_reauthenticate", url("account_reauthenticate"), expectations(OK, no_mfa=OK)),
    # Re-authenticating by an e-mailed code (allauth 65.22) is switched off: the password or the
    # second step only (ACCOUNT_REAUTHENTICATION_METHODS), so allauth refuses with a 403.
    Route(
        "account_request_reauthentication_code",
        url("account_request_reauthentication_code"),
        expectations(FORBIDDEN, no_mfa=FORBIDDEN),
    ),
    Route(
        "account_confirm_reauthentication_code",
        url("account_confirm_reauthentication_code"),
        expectations(FORBIDDEN, no_mfa=FORBIDDEN),
    ),
    Route("account_email", url("account_email"), SIGNED_IN_PAGE),
    Route(
        "account_email_verification_sent",
        url("account_email_verification_sent"),
        expectations(OK, anonymous=OK),
    ),
    Route("account_change_password", url("account_change_password"), expectations(REAUTH)),
    Route(
        "account_set_password",
        url("account_set_password"),
        expectations(Expect(302, "/account/password/change/")),
    ),
    Route("account_reset_password", url("account_reset_password"), expectations(OK, anonymous=OK)),
    Route(
        "account_confirm_login_code",
        url("account_confirm_login_code"),
        expectations(TO_HOME, anonymous=TO_LOGIN),
    ),
    Route(
        "account_confirm_email",
        lambda cast: reverse("account_confirm_email", kwargs={"key": "bogus-key"}),
        expectations(OK, anonymous=OK),
    ),
    Route(
        "account_reset_password_from_key_done",
        url("account_reset_password_from_key_done"),
        expectations(OK, anonymous=OK),
    ),
    Route(
        "account_reset_password_from_key",
        lambda cast: reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "0", "key": "bogus"}
        ),
        expectations(OK, anonymous=OK),
    ),
    Route(
        "account_reset_password_done",
        url("account_reset_password_done"),
        expectations(OK, anonymous=OK),
    ),
    Route("mfa_index", url("mfa_index"), expectations(OK, no_mfa=OK)),
    Route(
        "mfa_authenticate",
        url("mfa_authenticate"),
        expectations(TO_HOME, anonymous=TO_LOGIN, no_mfa=TO_HOME),
    ),
    # Only those with an authenticator can re-authenticate with it.
    Route(
        "mfa_reauthenticate",
        url("mfa_reauthenticate"),
        expectations(OK, patients=REAUTH, visitor=REAUTH, no_mfa=REAUTH, proxies=REAUTH),
    ),
    Route("mfa_activate_totp", url("mfa_activate_totp"), SENSITIVE_PAGE),
    # Nothing to turn off for those without TOTP.
    Route(
        "mfa_deactivate_totp",
        url("mfa_deactivate_totp"),
        expectations(
            REAUTH, patients=NOT_FOUND, visitor=NOT_FOUND, no_mfa=NOT_FOUND, proxies=NOT_FOUND
        ),
    ),
    # No persona has recovery codes yet (they come with TOTP set up through the pages).
    Route(
        "mfa_view_recovery_codes",
        url("mfa_view_recovery_codes"),
        expectations(NOT_FOUND, no_mfa=NOT_FOUND),
    ),
    Route("mfa_generate_recovery_codes", url("mfa_generate_recovery_codes"), SENSITIVE_PAGE),
    Route(
        "mfa_download_recovery_codes",
        url("mfa_download_recovery_codes"),
        expectations(NOT_FOUND, no_mfa=NOT_FOUND),
    ),
    Route("mfa_list_webauthn", url("mfa_list_webauthn"), expectations(OK, no_mfa=OK)),
    Route("mfa_add_webauthn", url("mfa_add_webauthn"), SENSITIVE_PAGE),
    Route("mfa_reauthenticate_webauthn", url("mfa_reauthenticate_webauthn"), SENSITIVE_PAGE),
    Route("mfa_remove_webauthn", url("mfa_remove_webauthn", 999999), SENSITIVE_PAGE),
    Route("mfa_edit_webauthn", url("mfa_edit_webauthn", 999999), SENSITIVE_PAGE),
    Route(
        "mfa_login_webauthn",
        url("mfa_login_webauthn"),
        expectations(TO_HOME, anonymous=TO_LOGIN, no_mfa=TO_HOME),
    ),
    Route("usersessions_list", url("usersessions_list"), SIGNED_IN_PAGE),
    # Each area of the health record keeps its rows beside the others in tests/routes/.
    *results.ROUTES,
    *sections.ROUTES,
    *downloads.ROUTES,
    *staff_records.ROUTES,
    # Caregivers and parents: the patient's and the proxy's pages, and the staff console's.
    *caregivers.ROUTES,
    # The language switch and the account's Language page.
    *language.ROUTES,
    *staff_proxies.ROUTES,
    *appointments.ROUTES,
    *waitlist.ROUTES,
    *checkin.ROUTES,
    *staff_schedule.ROUTES,
    *staff_inbox.ROUTES,
    *staff_notices.ROUTES,
    *staff_people.ROUTES,
    *staff_billing.ROUTES,
    *staff_booking_setup.ROUTES,
    *staff_comments.ROUTES,
    # The patient in the console: their page, and their chart for clinicians and nurses.
    *staff_chart.ROUTES,
    *messaging.ROUTES,
    *care_requests.ROUTES,
    *notifications.ROUTES,
    # Bills and payments.
    *billing_pages.ROUTES,
    *billing_paying.ROUTES,
    *billing_plans.ROUTES,
    *staff_insurance.ROUTES,
    *staff_setup.ROUTES,
    # Patients' apps (issue 17): connected apps and the clinic's app register.
    *fhir_apps.ROUTES,
    *fhir_smart.ROUTES,
    *fhir_api.ROUTES,
    *fhir_api_more.ROUTES,
    # A guided first visit, help, and the patient's own details (issue 18 §5).
    *first_visit.ROUTES,
]

CASES = [
    pytest.param(route, persona, id=f"{route.method}-{route.name}-{persona}")
    for route in ROUTES
    for persona in PERSONAS
]


def _client_for(cast: Cast, persona: str) -> Client:
    return persona_client(cast, persona)


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "persona"), CASES)
def test_route_gives_persona_the_expected_outcome(
    cast_with_records: Cast,
    persona_cookies: dict[str, SimpleCookie],
    settings: Settings,
    route: Route,
    persona: str,
) -> None:
    cast = cast_with_records
    if persona_cookies:
        # Signed in once for the module (see the fixture); sessions made then must not idle out
        # while thousands of requests run, none of which is about the idle timeout.
        settings.CAREBRIDGE_SESSION_IDLE_SECONDS = 24 * 60 * 60
        client = Client()
        client.cookies = copy.deepcopy(persona_cookies[persona])
    else:
        client = _client_for(cast, persona)
    expected = route.expected_for(persona)
    before = snapshot()
    response = getattr(client, route.method)(route.url(cast), route.data)
    location = response.get("Location", "")
    assert (response.status_code, location[: len(expected.location)]) == (
        expected.status,
        expected.location,
    ), f"{persona} got {response.status_code} {location}, expected {expected.describe()}"
    if expected not in (OK,) or route.method == "get":
        assert snapshot() == before, "a denied or read-only request changed something"


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_pattern_is_in_the_matrix() -> None:
    covered = {route.name for route in ROUTES}
    names = {
        name
        for name in _walk(get_resolver().url_patterns)
        if not any(name.startswith(prefix) for prefix in NOT_IN_MATRIX)
    }
    assert sorted(names - covered) == []


def test_matrix_covers_every_persona() -> None:
    for route in ROUTES:
        assert set(route.expect) == set(PERSONAS), route.name
