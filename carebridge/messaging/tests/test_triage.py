"""The staff inbox's changes to a thread: assign, priority, status, forward; only members of
the thread's team, each change audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import StaffMember
from carebridge.messaging.models import CareTeam, Thread, ThreadStatus, Topic
from carebridge.messaging.services import start_thread
from carebridge.messaging.triage import assign, forward, set_priority, set_status

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path


@pytest.fixture
def teams(cast) -> tuple[CareTeam, CareTeam]:
    family = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    billing = CareTeam.objects.create(clinic=cast.clinic, name="Billing office")
    family.members.add(StaffMember.objects.get(user=cast.nurse))
    family.members.add(StaffMember.objects.get(user=cast.clinician))
    billing.members.add(StaffMember.objects.get(user=cast.billing))
    return family, billing


@pytest.fixture
def thread(cast, teams) -> Thread:
    return start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=teams[0],
        topic=Topic.BILLING,
        subject="A bill",
        body="Why was I charged twice?",
        now=NOW,
    )


def changes() -> list[tuple[str, str]]:
    rows = AuditEvent.objects.filter(object_type="message_thread", action="update")
    return [(e.actor.email, e.acting_as) for e in rows.order_by("sequence")]


def test_assigning_to_a_member_puts_a_new_thread_in_progress(cast, thread):
    changed = assign(actor=cast.nurse, thread=thread, assignee=cast.clinician)
    assert (changed.assigned_to, changed.status) == (cast.clinician, ThreadStatus.IN_PROGRESS)
    assert changes() == [(cast.nurse.email, "staff")]


def test_only_a_member_of_the_team_may_be_given_it(cast, thread):
    with pytest.raises(ValidationError) as refused:
        assign(actor=cast.nurse, thread=thread, assignee=cast.billing)
    assert refused.value.messages == ["Choose someone who answers for this team."]
    thread.refresh_from_db()
    assert thread.assigned_to is None


def test_priority_and_status(cast, thread):
    set_priority(actor=cast.nurse, thread=thread, priority="high")
    changed = set_status(actor=cast.nurse, thread=thread, status=ThreadStatus.WAITING_ON_PATIENT)
    assert (changed.priority, changed.status) == ("high", "waiting")
    with pytest.raises(ValidationError):
        set_status(actor=cast.nurse, thread=thread, status="lost")
    with pytest.raises(ValidationError):
        set_priority(actor=cast.nurse, thread=thread, priority="urgent!")
    assert len(changes()) == 2


def test_forwarding_hands_it_to_the_other_team_as_new(cast, thread, teams):
    assign(actor=cast.nurse, thread=thread, assignee=cast.clinician)
    moved = forward(actor=cast.nurse, thread=thread, team=teams[1])
    assert (moved.team, moved.assigned_to, moved.status) == (teams[1], None, ThreadStatus.NEW)
    # Now the billing office answers it, and the nurse no longer may change it.
    set_priority(actor=cast.billing, thread=moved, priority="low")
    with pytest.raises(PermissionDenied):
        set_priority(actor=cast.nurse, thread=moved, priority="high")


def test_forwarding_only_to_another_active_team_of_the_clinic(cast, thread, teams):
    elsewhere = CareTeam.objects.create(clinic=cast.other_clinic, name="Elsewhere")
    closed = CareTeam.objects.create(clinic=cast.clinic, name="Closed", is_active=False)
    for team in (elsewhere, closed, teams[0]):
        with pytest.raises(ValidationError) as refused:
            forward(actor=cast.nurse, thread=thread, team=team)
        assert refused.value.messages == ["Choose another team of this clinic."]
    thread.refresh_from_db()
    assert thread.team == teams[0]


def test_staff_outside_the_team_or_clinic_change_nothing(cast, thread):
    for outsider in (cast.billing, cast.front_desk, cast.other_clinic_admin, cast.patient_user):
        with pytest.raises(PermissionDenied):
            set_status(actor=outsider, thread=thread, status=ThreadStatus.CLOSED)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NEW
    assert changes() == []
