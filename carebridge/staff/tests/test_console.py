import pytest
from django.test import Client
from django.urls import reverse

from carebridge.testing.personas import PERSONAS, user_for
from carebridge.testing.proxy_personas import PROXY_PERSONAS

pytestmark = pytest.mark.django_db

CONSOLE_URL = "/staff/"
MFA_URL = reverse("mfa_index")

EXPECTED_STATUS = {
    "anonymous": 302,
    "patient": 404,
    "second_patient": 404,
    "visitor": 404,
    # Caregivers and parents are not staff, whoever they act for.
    **dict.fromkeys(PROXY_PERSONAS, 404),
    "clinician": 200,
    "nurse": 200,
    "front_desk": 200,
    "billing": 200,
    "clinic_admin": 200,
    "other_clinic_admin": 200,
    "staff_without_mfa": 302,
}


def _client(cast, persona):
    client = Client()
    user = user_for(cast, persona)
    if user is not None:
        client.force_login(user)
    return client


def _links(response):
    return [(link["label"], link["url"]) for link in response.context["links"]]


def test_every_persona_is_covered():
    assert sorted(EXPECTED_STATUS) == sorted(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_console_access_by_persona(cast, persona):
    response = _client(cast, persona).get(CONSOLE_URL)
    assert response.status_code == EXPECTED_STATUS[persona]
    if persona == "anonymous":
        assert response["Location"] == "/account/login/?next=/staff/"
    if persona == "staff_without_mfa":
        assert response["Location"] == MFA_URL


def test_console_shows_clinic_role_and_every_section_to_the_clinic_admin(cast):
    cast.clinic_admin.is_staff = True
    cast.clinic_admin.save(update_fields=["is_staff"])
    response = _client(cast, "clinic_admin").get(CONSOLE_URL)
    body = response.content.decode()
    assert "<dd>Riverside Family Clinic</dd>" in body
    assert "<dd>Clinic administrator</dd>" in body
    assert _links(response) == [
        ("Patients", "/staff/patients/"),
        ("Import health records", "/staff/imports/"),
        ("Uncertain patient matches", "/staff/imports/matches/"),
        ("Insurance changes to check", "/staff/insurance/"),
        ("Address changes to check", "/staff/details/"),
        ("Clinic set-up", "/staff/setup/"),
        ("Result release settings", "/staff/results/settings/"),
        ("Message settings", "/staff/inbox/settings/"),
        ("Undelivered e-mails", "/staff/notices/"),
        ("Billing", "/staff/billing/"),
        ("Audit report", "/staff/audit/"),
        ("Clinic administration", "/staff/admin/"),
    ]
    assert '<a href="/staff/admin/">Clinic administration</a>' in body


def test_clinic_admin_without_admin_site_access_gets_no_admin_link(cast):
    response = _client(cast, "clinic_admin").get(CONSOLE_URL)
    assert _links(response) == [
        ("Patients", "/staff/patients/"),
        ("Import health records", "/staff/imports/"),
        ("Uncertain patient matches", "/staff/imports/matches/"),
        ("Insurance changes to check", "/staff/insurance/"),
        ("Address changes to check", "/staff/details/"),
        ("Clinic set-up", "/staff/setup/"),
        ("Result release settings", "/staff/results/settings/"),
        ("Message settings", "/staff/inbox/settings/"),
        ("Undelivered e-mails", "/staff/notices/"),
        ("Billing", "/staff/billing/"),
        ("Audit report", "/staff/audit/"),
    ]


def test_clinicians_also_see_results_waiting_for_review(cast):
    response = _client(cast, "clinician").get(CONSOLE_URL)
    assert _links(response) == [
        ("Patients", "/staff/patients/"),
        ("Results waiting for review", "/staff/results/held/"),
    ]


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("nurse", "Nurse"),
    ],
)
def test_other_roles_see_patients_only(cast, persona, role):
    response = _client(cast, persona).get(CONSOLE_URL)
    body = response.content.decode()
    assert f"<dd>{role}</dd>" in body
    assert _links(response) == [("Patients", "/staff/patients/")]
    assert "/staff/audit/" not in body
    assert "/staff/admin/" not in body


def test_front_desk_also_sees_the_insurance_changes_to_check(cast):
    response = _client(cast, "front_desk").get(CONSOLE_URL)
    assert "<dd>Front desk</dd>" in response.content.decode()
    assert _links(response) == [
        ("Patients", "/staff/patients/"),
        ("Insurance changes to check", "/staff/insurance/"),
        ("Address changes to check", "/staff/details/"),
    ]


def test_billing_staff_see_patients_and_billing(cast):
    response = _client(cast, "billing").get(CONSOLE_URL)
    assert "<dd>Billing</dd>" in response.content.decode()
    assert _links(response) == [("Patients", "/staff/patients/"), ("Billing", "/staff/billing/")]


def test_other_clinic_admin_sees_their_own_clinic(cast):
    body = _client(cast, "other_clinic_admin").get(CONSOLE_URL).content.decode()
    assert "<dd>Hilltop Health</dd>" in body
    assert "Riverside Family Clinic" not in body
