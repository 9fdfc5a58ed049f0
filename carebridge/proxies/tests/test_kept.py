"""The acting decision kept between requests (carebridge/proxies/kept.py): used again only
while nothing it depends on has changed, and never past the quarter hour it was made in."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from carebridge.accounts.models import User
from carebridge.clinic.models import StaffMember
from carebridge.patients.models import Patient
from carebridge.proxies.acting import Relationship
from carebridge.proxies.kept import acting_context
from carebridge.proxies.models import EndReason
from carebridge.proxies.resolution import ACTING_FOR_SESSION_KEY
from carebridge.proxies.services.grants import revoke_grant
from carebridge.testing import factories
from carebridge.testing.clients import client_for

pytestmark = pytest.mark.django_db

SWITCH = "/account/acting-for/"
RESULTS = "/record/results/"


def _fresh(user: User) -> User:
    """The user as the next request reads it (with its kept key)."""
    return User.objects.get(pk=user.pk)


def _tables_read(call) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        call()
    return [query["sql"].split('FROM "')[1].split('"')[0] for query in queries.captured_queries]


def test_the_second_decision_costs_no_query(cast):
    user = _fresh(cast.proxies.full_caregiver)
    pat = str(cast.patient.pk)
    assert _tables_read(lambda: acting_context(user, pat)) == [
        "clinic_staffmember",
        "patients_patient",
        "proxies_proxygrant",
    ]
    assert _tables_read(lambda: acting_context(user, pat)) == []
    again = acting_context(user, pat)
    assert (again.user, again.patient, again.relationship, again.scopes) == (
        user,
        cast.patient,
        Relationship.PROXY,
        acting_context(_fresh(user), pat).scopes,
    )


def test_a_revocation_takes_effect_on_the_very_next_request(cast):
    caregiver = cast.proxies.full_caregiver
    client = client_for(caregiver)
    client.post(SWITCH, {"patient": str(cast.patient.pk)})
    assert client.get(RESULTS).status_code == 200
    assert client.get(RESULTS).status_code == 200
    grant = cast.proxies.grants["full_caregiver"]
    revoke_grant(actor=cast.patient_user, grant=grant, reason=EndReason.REVOKED_BY_PATIENT)
    response = client.get(RESULTS)
    assert response.status_code == 404
    assert ACTING_FOR_SESSION_KEY not in client.session


def test_a_membership_ended_takes_effect_on_the_next_request(cast):
    client = client_for(cast.nurse)
    assert acting_context(_fresh(cast.nurse)).is_staff is True
    assert client.get("/staff/").status_code == 200
    member = StaffMember.objects.get(user=cast.nurse)
    member.is_active = False
    member.save()
    assert acting_context(_fresh(cast.nurse)).is_staff is False


def test_a_record_moved_to_another_account_leaves_the_first(cast):
    first = _fresh(cast.patient_user)
    assert acting_context(first).patient == cast.patient
    other = factories.make_user(email="someone.else@example.org")
    patient = Patient.objects.get(pk=cast.patient.pk)
    patient.user = other
    patient.save()
    assert acting_context(_fresh(cast.patient_user)).patient is None
    assert acting_context(_fresh(other)).patient == cast.patient


def test_a_name_changed_is_read_again_by_the_patient_and_the_helper(cast):
    helper = cast.proxies.full_caregiver
    assert acting_context(_fresh(helper)).helped[0].name == "Pat Patient"
    assert acting_context(_fresh(cast.patient_user)).patient.given_name == "Pat"
    patient = Patient.objects.get(pk=cast.patient.pk)
    patient.given_name = "Patricia"
    patient.save()
    assert acting_context(_fresh(helper)).helped[0].name == "Patricia Patient"
    assert acting_context(_fresh(cast.patient_user)).patient.given_name == "Patricia"


def test_a_clinic_age_rule_changed_takes_effect_at_once(cast):
    parent = cast.proxies.parent_of_teen
    teen = str(cast.proxies.teen.pk)
    assert acting_context(_fresh(parent), teen).teen_private_age == 15
    clinic = cast.clinic
    clinic.proxy_full_access_under_age = 16
    clinic.save()
    # Tess (15) is now a child under the clinic's rules: her parent sees all again.
    assert acting_context(_fresh(parent), teen).teen_private_age is None


def test_a_decision_is_made_again_after_the_quarter_hour(cast):
    user = _fresh(cast.patient_user)
    start = timezone.now().replace(minute=14, second=59, microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        acting_context(user)
        assert _tables_read(lambda: acting_context(user)) == []
        clock.shift(datetime.timedelta(seconds=1))
        assert len(_tables_read(lambda: acting_context(user))) == 3


def test_the_words_are_kept_per_language(cast):
    helper = _fresh(cast.proxies.full_caregiver)
    english = acting_context(helper).helped[0].relationship_label
    with translation.override("es"):
        spanish = acting_context(helper).helped[0].relationship_label
    assert (english, spanish) == ("Caregiver", "Cuidador(a)")


def test_every_account_starts_with_its_own_key(cast):
    keys = {_fresh(user).kept_key for user in User.objects.all()}
    assert len(keys) == User.objects.count()
    assert all(len(key) == 16 for key in keys)
