"""Bearer tokens: which are accepted, and for whom; every other kind is a 401."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from carebridge.fhir.auth import ApiAuthError, authenticate
from carebridge.fhir.models import AppRegistration
from carebridge.testing.fhir import bearer, connect_app, issue_token
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _call(token: str | None) -> object:
    headers = bearer(token) if token is not None else {}
    return authenticate(RequestFactory().get("/fhir/Patient", headers=headers))


def test_a_valid_token_names_the_user_patient_app_and_scopes(cast: Cast) -> None:
    connection = connect_app(user=cast.patient_user, patient=cast.patient)
    caller = authenticate(
        RequestFactory().get("/fhir/Patient", headers=bearer(issue_token(connection)))
    )
    assert (caller.user, caller.patient, caller.connection, caller.app_name) == (
        cast.patient_user,
        cast.patient,
        connection,
        "Health Diary",
    )
    assert caller.scopes.permits("Observation", "search")


def _refused(token: str | None) -> tuple[int, str]:
    with pytest.raises(ApiAuthError) as refused:
        _call(token)
    return refused.value.status, refused.value.code


def test_no_token_or_an_unknown_one_is_a_401(cast: Cast) -> None:
    assert _refused(None) == (401, "login")
    assert _refused("not-a-token") == (401, "expired")


def test_an_expired_token_is_a_401(cast: Cast) -> None:
    connection = connect_app(user=cast.patient_user, patient=cast.patient)
    token = issue_token(connection, expires_in=datetime.timedelta(seconds=-1))
    assert _refused(token) == (401, "expired")


def test_a_disconnected_apps_token_is_a_401(cast: Cast) -> None:
    connection = connect_app(user=cast.patient_user, patient=cast.patient)
    token = issue_token(connection)
    connection.revoked_at = timezone.now()
    connection.save()
    assert _refused(token) == (401, "expired")


def test_an_app_the_clinic_withdrew_is_a_401(cast: Cast) -> None:
    connection = connect_app(user=cast.patient_user, patient=cast.patient)
    token = issue_token(connection)
    AppRegistration.objects.filter(application=connection.application).update(is_active=False)
    assert _refused(token) == (401, "expired")
