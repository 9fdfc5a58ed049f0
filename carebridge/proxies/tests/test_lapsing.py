import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies import rules
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.proxies.services import (
    LapsedCounts,
    accept_invitation,
    end_lapsed_grants,
    grant_parental_access,
    invite_caregiver,
)
from carebridge.proxies.tasks import end_lapsed_grants_task
from carebridge.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _without_the_casts_grants(cast):
    """These tests count grants and events from a clean slate: the shared cast's caregivers
    and parents (see `testing/proxy_personas.py`) have their grants removed first."""
    ProxyGrant.objects.all().delete()


# Noon in New York on 2 March 2025, the day before the teenager's eighteenth birthday.
MARCH_2 = datetime.datetime(2025, 3, 2, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture
def grants(cast):
    """A caregiver whose grant ends on 2 March, and a parent of a teen who turns 18 on 3 March."""
    with time_machine.travel(MARCH_2, tick=False):
        _, token = invite_caregiver(
            actor=cast.patient_user,
            patient=cast.patient,
            email="chris@example.org",
            relationship="caregiver",
            scopes=["appointments"],
            ends_on=datetime.date(2025, 3, 2),
        )
        caregiver = accept_invitation(
            token=token, user=factories.make_user(email="chris@example.org")
        )
        teen = factories.make_patient(
            cast.clinic,
            user=factories.make_user(email="toni@example.org"),
            birth_date=datetime.date(2007, 3, 3),
        )
        parental = grant_parental_access(
            actor=cast.front_desk,
            patient=teen,
            proxy=factories.make_user(email="pia@example.org"),
            relationship="parent",
            scopes=["appointments", "billing"],
        )
        child = factories.make_patient(cast.clinic, birth_date=datetime.date(2015, 3, 3))
        grant_parental_access(
            actor=cast.front_desk,
            patient=child,
            proxy=factories.make_user(email="pete@example.org"),
            relationship="parent",
            scopes=["record"],
        )
    return caregiver, parental


def test_nothing_lapses_before_time(grants, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        counts = end_lapsed_grants(today=datetime.date(2025, 3, 2))
    assert counts == LapsedCounts(expired=0, came_of_age=0, invitations=0)
    assert ProxyGrant.objects.active().count() == 3
    assert mail.outbox == []


def test_end_date_and_eighteenth_birthday_end_grants_once(
    cast, grants, django_capture_on_commit_callbacks
):
    caregiver, parental = grants
    events = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        counts = end_lapsed_grants(today=datetime.date(2025, 3, 3))
    assert counts == LapsedCounts(expired=1, came_of_age=1, invitations=0)
    caregiver.refresh_from_db()
    parental.refresh_from_db()
    assert (caregiver.status, caregiver.end_reason, caregiver.ended_by) == (
        GrantStatus.EXPIRED,
        EndReason.EXPIRED,
        None,
    )
    assert (parental.status, parental.end_reason) == (GrantStatus.EXPIRED, EndReason.CAME_OF_AGE)
    assert ProxyGrant.objects.active().get().proxy.email == "pete@example.org"
    assert sorted(message.to[0] for message in mail.outbox) == [
        "chris@example.org",
        "pat@example.org",
        "pia@example.org",
        "toni@example.org",
    ]
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Why: The end date passed." in bodies["chris@example.org"]
    assert "Why: The patient became an adult." in bodies["toni@example.org"]
    for body in bodies.values():
        assert "appointment" not in body.lower()
    new_events = AuditEvent.objects.order_by("sequence")[events:]
    assert [(e.actor, e.acting_as, e.action, e.object_type) for e in new_events] == [
        (None, "system", AuditAction.REVOKE, "proxy_grant"),
        (None, "system", AuditAction.REVOKE, "proxy_grant"),
    ]
    assert {e.patient_id for e in new_events} == {cast.patient.pk, parental.patient_id}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = end_lapsed_grants(today=datetime.date(2025, 3, 3))
    assert again == LapsedCounts(expired=0, came_of_age=0, invitations=0)
    assert mail.outbox == []
    assert AuditEvent.objects.count() == events + 2


def test_parental_access_stops_on_the_eighteenth_birthday_before_the_task_runs(grants):
    _, parental = grants
    parental = ProxyGrant.objects.select_related("patient__clinic").get(pk=parental.pk)
    with time_machine.travel(MARCH_2, tick=False):
        assert rules.scopes_now(parental) == {"appointments", "billing"}
    # Midnight in New York (EST) on 3 March: the teen is 18 there.
    with time_machine.travel(datetime.datetime(2025, 3, 3, 5, 0, tzinfo=datetime.UTC), tick=False):
        assert rules.scopes_now(parental) == frozenset()


def test_unused_invitations_expire_without_e_mail(cast, django_capture_on_commit_callbacks):
    with time_machine.travel(MARCH_2, tick=False):
        grant, _ = invite_caregiver(
            actor=cast.patient_user,
            patient=cast.patient,
            email="chris@example.org",
            relationship="caregiver",
            scopes=["appointments"],
        )
    with (
        time_machine.travel(MARCH_2 + datetime.timedelta(days=7), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        counts = end_lapsed_grants(today=datetime.date(2025, 3, 9))
    assert counts == LapsedCounts(expired=0, came_of_age=0, invitations=1)
    grant.refresh_from_db()
    assert (grant.status, grant.end_reason) == (GrantStatus.EXPIRED, EndReason.INVITATION_ENDED)
    assert mail.outbox == []


def test_task_runs_the_service(grants):
    with time_machine.travel(datetime.datetime(2025, 3, 4, 12, 0, tzinfo=datetime.UTC)):
        result = end_lapsed_grants_task.enqueue()
    assert result.return_value == {"expired": 1, "came_of_age": 1, "invitations": 0}


def test_the_daily_command_ends_them_and_says_how_many(grants):
    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2025, 3, 4, 12, 0, tzinfo=datetime.UTC)):
        call_command("end_lapsed_grants", stdout=out)
        call_command("end_lapsed_grants", stdout=out)
    assert out.getvalue().splitlines() == [
        "Ended 1 past their last day, 1 of patients now adult, and 0 unused invitations.",
        "Ended 0 past their last day, 0 of patients now adult, and 0 unused invitations.",
    ]
    assert ProxyGrant.objects.active().count() == 1
