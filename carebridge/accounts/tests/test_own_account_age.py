"""A child below the clinic's age for an account of their own (13 unless set) cannot enrol, and
staff cannot issue them an activation code; the invite page and the enrolment page say why.
Ages turn over at midnight in the clinic's time zone (here Honolulu, UTC-10).

Cast: Fran (front desk) invites; Kit (9) is too young; Bea is born 4 March 2013, so she turns 13
on 4 March 2026 in Honolulu, ten hours after the day starts in UTC.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carebridge.accounts import services
from carebridge.accounts.eligibility import is_old_enough_for_own_account
from carebridge.accounts.models import ActivationCode
from carebridge.accounts.views import ENROL_SESSION_KEY
from carebridge.patients.models import Patient
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

TOO_YOUNG = (
    "Patients can have their own portal account from age 13. Until then, a parent or guardian "
    "can ask the clinic for access to help with their care."
)
BEA_BORN = datetime.date(2013, 3, 4)
# 4 March 2026 at 09:59 UTC is still 3 March in Honolulu; 10:00 UTC is midnight there.
EVE_IN_HONOLULU = datetime.datetime(2026, 3, 4, 9, 59, tzinfo=datetime.UTC)
BIRTHDAY_IN_HONOLULU = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def bea(cast: Cast) -> Patient:
    cast.clinic.time_zone = "Pacific/Honolulu"
    cast.clinic.save(update_fields=["time_zone"])
    return factories.make_patient(cast.clinic, given_name="Bea", birth_date=BEA_BORN)


def old_code(patient: Patient) -> str:
    """A code issued before the rule (or by hand): enrolment must still refuse a child."""
    code = services.new_code()
    ActivationCode.objects.create(
        patient=patient,
        code_hash=services.hash_activation_code(code),
        created_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    return code


def invite_url(patient: Patient) -> str:
    return f"/staff/patients/{patient.pk}/invite/"


def test_the_age_is_counted_in_the_clinics_time_zone(bea: Patient) -> None:
    with time_machine.travel(EVE_IN_HONOLULU, tick=False):
        assert is_old_enough_for_own_account(bea) is False
    with time_machine.travel(BIRTHDAY_IN_HONOLULU, tick=False):
        assert is_old_enough_for_own_account(bea) is True


def test_no_code_for_a_child_below_the_age(bea: Patient, cast: Cast) -> None:
    with (
        time_machine.travel(EVE_IN_HONOLULU, tick=False),
        pytest.raises(ValidationError) as refusal,
    ):
        services.issue_activation_code(actor=cast.front_desk, patient=bea)
    assert (refusal.value.code, refusal.value.messages) == ("too_young", [TOO_YOUNG])
    assert not ActivationCode.objects.filter(patient=bea).exists()


def test_a_thirteen_year_old_gets_a_code_and_enrols(bea: Patient, cast: Cast) -> None:
    with time_machine.travel(BIRTHDAY_IN_HONOLULU, tick=False):
        code = services.issue_activation_code(actor=cast.front_desk, patient=bea)
        response = Client().post(
            reverse("accounts:enrol"), {"code": code, "birth_date": "2013-03-04"}
        )
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:enrol-email"))


def test_the_enrolment_page_refuses_a_child_with_an_old_code(bea: Patient) -> None:
    with time_machine.travel(EVE_IN_HONOLULU, tick=False):
        code = old_code(bea)
        client = Client()
        data = {"code": code, "birth_date": "2013-03-04"}
        response = client.post(reverse("accounts:enrol"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [TOO_YOUNG]
    assert ENROL_SESSION_KEY not in client.session
    assert ActivationCode.objects.get(patient=bea).used_at is None


def test_the_last_step_refuses_a_child_too(bea: Patient, rf) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(EVE_IN_HONOLULU, tick=False):
        old_code(bea)
        activation = ActivationCode.objects.get(patient=bea)
        activation.pending_email = "bea@example.org"
        with pytest.raises(ValidationError) as refusal:
            services.enrol_patient(
                activation=activation, password="a long calm river", request=rf.get("/")
            )
    assert refusal.value.messages == [TOO_YOUNG]
    bea.refresh_from_db()
    assert bea.user_id is None


def test_the_clinic_chooses_the_age(bea: Patient, cast: Cast) -> None:
    cast.clinic.own_account_from_age = 12
    cast.clinic.save(update_fields=["own_account_from_age"])
    bea.refresh_from_db()
    with time_machine.travel(EVE_IN_HONOLULU, tick=False):
        assert is_old_enough_for_own_account(bea) is True


def test_the_invite_page_says_why_and_issues_nothing(cast: Cast) -> None:
    kit = cast.proxies.child
    staff = client_for(cast.front_desk)
    shown = staff.get(invite_url(kit))
    posted = staff.post(invite_url(kit))
    for response in (shown, posted):
        assert response.status_code == 200
        body = response.content.decode()
        assert TOO_YOUNG in body
        assert "Issue a new activation code" not in body
        assert "code" not in response.context
    assert not ActivationCode.objects.filter(patient=kit).exists()
