"""The API's rate limit: 120 requests a minute per access token."""

from __future__ import annotations

import pytest
from django.conf import settings
from oauth2_provider.models import AccessToken

from carebridge.fhir.limits import check_rate
from carebridge.testing.fhir import connect_app, issue_token
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def test_each_token_has_its_own_120_requests_a_minute(cast: Cast) -> None:
    connection = connect_app(user=cast.patient_user, patient=cast.patient)
    issue_token(connection)
    issue_token(connection)
    first, second = AccessToken.objects.order_by("pk")
    assert settings.CAREBRIDGE_FHIR_RATE_LIMIT == (120, 60)
    assert [check_rate(first) for _ in range(120)] == [True] * 120
    assert (check_rate(first), check_rate(first)) == (False, False)
    assert check_rate(second) is True
