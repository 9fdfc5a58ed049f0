"""Patient access settings: the proxy age rules, own accounts, two-step verification and
activation codes, explained on the page, checked to make sense together and audited."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import Clinic
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

URL = "/staff/setup/patients/"
DEFAULTS = {
    "proxy_full_access_under_age": 12,
    "proxy_parental_access_until_age": 18,
    "own_account_from_age": 13,
    "require_patient_mfa": False,
    "activation_code_days": 30,
}


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {name: str(value) for name, value in DEFAULTS.items()}
    data.pop("require_patient_mfa")
    return data | changes


def _saved(clinic_id: int) -> dict[str, Any]:
    clinic = Clinic.objects.get(pk=clinic_id)
    return {name: getattr(clinic, name) for name in DEFAULTS}


def test_the_page_explains_each_setting(cast: Cast) -> None:
    response = client_for(cast.clinic_admin).get(URL)
    assert response.context["form"].initial == DEFAULTS
    body = response.content.decode()
    assert "From this age the patient is an adult in the portal: parents see nothing." in body
    assert "How long a patient has to create their account with the code staff give." in body


def test_the_admin_changes_the_settings_and_the_change_is_audited(cast: Cast) -> None:
    data = _form(
        proxy_full_access_under_age="11",
        own_account_from_age="12",
        require_patient_mfa="on",
        activation_code_days="14",
    )
    response = client_for(cast.clinic_admin).post(URL, data)
    assert (response.status_code, response["Location"]) == (302, URL)
    assert flashed(response) == ["Saved. The new settings apply from now on."]
    assert _saved(cast.clinic.pk) == {
        "proxy_full_access_under_age": 11,
        "proxy_parental_access_until_age": 18,
        "own_account_from_age": 12,
        "require_patient_mfa": True,
        "activation_code_days": 14,
    }
    event = AuditEvent.objects.get(object_type="clinic_patient_settings")
    assert (event.action, event.object_id, event.actor_id, event.changes) == (
        "update",
        str(cast.clinic.pk),
        cast.clinic_admin.pk,
        {
            "activation_code_days": {"before": 30, "after": 14},
            "own_account_from_age": {"before": 13, "after": 12},
            "proxy_full_access_under_age": {"before": 12, "after": 11},
            "require_patient_mfa": {"before": False, "after": True},
        },
    )
    assert _saved(cast.other_clinic.pk) == DEFAULTS


AGES = (
    "The age until which parents see everything must not be above the age at which their "
    "access ends, and that age must be 18 or under."
)
OWN = (
    "Patients must be able to have their own account by the age at which their parents' "
    "access ends; otherwise nobody could use the portal for them."
)


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {
                "proxy_full_access_under_age": "16",
                "proxy_parental_access_until_age": "14",
                "own_account_from_age": "13",
            },
            {"__all__": [AGES]},
        ),
        (
            {"proxy_parental_access_until_age": "16", "own_account_from_age": "17"},
            {"__all__": [OWN]},
        ),
        (
            {"proxy_parental_access_until_age": "21"},
            {"proxy_parental_access_until_age": ["Ensure this value is less than or equal to 18."]},
        ),
        (
            {"activation_code_days": "0"},
            {"activation_code_days": ["Ensure this value is greater than or equal to 1."]},
        ),
        ({"own_account_from_age": "thirteen"}, {"own_account_from_age": ["Enter a whole number."]}),
    ],
)
def test_settings_that_contradict_each_other_are_refused(
    cast: Cast, changes: dict[str, str], errors: dict[str, list[str]]
) -> None:
    response = client_for(cast.clinic_admin).post(URL, _form(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert _saved(cast.clinic.pk) == DEFAULTS
    assert not AuditEvent.objects.filter(object_type="clinic_patient_settings").exists()


def test_others_cannot_change_them(cast: Cast) -> None:
    for user in (cast.nurse, cast.front_desk, cast.patient_user):
        response = client_for(user).post(URL, _form(require_patient_mfa="on"))
        assert response.status_code == 404
    assert _saved(cast.clinic.pk) == DEFAULTS


ages = st.one_of(st.integers(-3, 25).map(str), st.text(max_size=4))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(full=ages, until=ages, own=ages, days=ages)
def test_any_ages_are_saved_when_they_make_sense_or_refused(
    cast: Cast, full: str, until: str, own: str, days: str
) -> None:
    data = _form(
        proxy_full_access_under_age=full,
        proxy_parental_access_until_age=until,
        own_account_from_age=own,
        activation_code_days=days,
    )
    response = client_for(cast.clinic_admin).post(URL, data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        saved = _saved(cast.clinic.pk)
        assert (
            1
            <= saved["proxy_full_access_under_age"]
            <= saved["proxy_parental_access_until_age"]
            <= 18
        )
        assert 0 <= saved["own_account_from_age"] <= saved["proxy_parental_access_until_age"]
        assert (saved["proxy_full_access_under_age"], saved["activation_code_days"]) == (
            int(full),
            int(days),
        )
