"""The console's counts beside its links: unread open conversations of the member's own teams,
and open requests of the kinds their role answers."""

from __future__ import annotations

import datetime

import pytest

from carebridge.messaging.care_requests import submit_request
from carebridge.messaging.models import RequestKind, Thread, ThreadStatus
from carebridge.messaging.services import reply
from carebridge.staff.tests.inbox_setup import (  # noqa: F401
    NOW,
    Inbox,
    frozen_clock,
    make_inbox,
    private_folder,
)
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(cast: Cast) -> Inbox:
    return make_inbox(cast)


def console(user: object) -> str:
    return " ".join(client_for(user).get("/staff/").content.decode().split())


def test_unread_open_conversations_of_the_members_teams(cast, inbox):
    read = inbox.write("Read one")
    inbox.write("Unread one")
    closed = inbox.write("Closed one")
    Thread.objects.filter(pk=closed.pk).update(status=ThreadStatus.CLOSED)
    inbox.write("For billing", team=inbox.billing)
    client_for(cast.nurse).get(f"/staff/inbox/threads/{read.pk}/")
    assert 'Messages</a> <strong class="badge">1 unread conversation</strong>' in console(
        cast.nurse
    )
    # The clinician has read none of the family team's open threads; billing has its own.
    assert "2 unread conversations" in console(cast.clinician)
    assert "1 unread conversation<" in console(cast.billing)
    # A patient's answer makes a read thread unread again.
    reply(
        actor=cast.patient_user,
        acting_as="self",
        thread=read,
        body="Thank you",
        now=NOW + datetime.timedelta(hours=1),
    )
    assert "2 unread conversations" in console(cast.nurse)


def test_staff_of_no_team_see_no_count(cast, inbox):
    inbox.write()
    assert "unread conversation" not in console(cast.front_desk)
    assert "unread conversation" not in console(cast.other_clinic_admin)


def test_open_requests_of_the_kinds_the_role_answers(cast, inbox):
    for kind, details in (
        (RequestKind.REFILL, {"medicines": ["Metformin"], "pharmacy": "Main St"}),
        (RequestKind.RECORDS, {"records": "Everything"}),
    ):
        submit_request(
            actor=cast.patient_user,
            acting_as="self",
            patient=cast.patient,
            kind=kind,
            details=details,
        )
    assert 'requests</a> <strong class="badge">2 waiting</strong>' in console(cast.nurse)
    # The front desk answers copies of records only.
    assert 'requests</a> <strong class="badge">1 waiting</strong>' in console(cast.front_desk)
    # Billing answers none: no link at all.
    assert "Refill, referral and records requests" not in console(cast.billing)
    assert "waiting" not in console(cast.other_clinic_admin)
