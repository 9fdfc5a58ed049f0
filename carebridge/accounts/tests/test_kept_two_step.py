"""Whether someone has two-step verification is kept between requests (staff pages check it
on every one) and is right on the very next request after it is set up or removed."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.accounts.kept import has_two_step
from carebridge.accounts.models import User
from carebridge.testing import factories
from carebridge.testing.clients import client_for

pytestmark = pytest.mark.django_db

CONSOLE = "/staff/"


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _authenticators_read(user: User) -> int:
    with CaptureQueriesContext(connection) as queries:
        has_two_step(_fresh(user))
    return sum('FROM "mfa_authenticator"' in q["sql"] for q in queries.captured_queries)


def test_the_answer_is_kept_until_an_authenticator_changes(cast):
    nurse = cast.nurse
    assert has_two_step(_fresh(nurse)) is True
    assert _authenticators_read(nurse) == 0
    Authenticator.objects.filter(user=nurse).delete()
    assert has_two_step(_fresh(nurse)) is False
    assert _authenticators_read(nurse) == 0
    factories.enable_totp(nurse)
    assert has_two_step(_fresh(nurse)) is True


def test_staff_without_two_step_are_sent_to_set_it_up_on_the_next_request(cast):
    client = client_for(cast.nurse)
    assert client.get(CONSOLE).status_code == 200
    assert client.get(CONSOLE).status_code == 200
    Authenticator.objects.filter(user=cast.nurse).delete()
    response = client.get(CONSOLE)
    assert (response.status_code, response["Location"]) == (302, "/account/2fa/")
    factories.enable_totp(cast.nurse)
    assert client.get(CONSOLE).status_code == 200


def test_someone_signed_out_has_none(cast):
    assert has_two_step(AnonymousUser()) is False
