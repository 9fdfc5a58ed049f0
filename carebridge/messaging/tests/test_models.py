"""The messaging tables' own rules: staff-only notes, what the patient's side may read, open
threads, and that an answered request says who answered and when."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from carebridge.clinic.models import StaffRole
from carebridge.messaging.models import (
    CareRequest,
    CareRequestStatus,
    CareTeam,
    Message,
    RequestKind,
    Thread,
    ThreadStatus,
    Topic,
    WrittenAs,
)
from carebridge.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread() -> Thread:
    clinic = factories.make_clinic()
    patient = factories.make_patient(clinic, user=factories.make_user())
    team = CareTeam.objects.create(clinic=clinic, name="Family medicine")
    return Thread.objects.create(
        patient=patient,
        team=team,
        topic=Topic.OTHER,
        subject="Question",
        created_by=patient.user,
        created_as=WrittenAs.SELF,
    )


def write(thread: Thread, author_as: str, *, internal: bool = False, sent: bool = True):
    return Message.objects.create(
        thread=thread,
        author=thread.created_by,
        author_as=author_as,
        body="Text",
        is_internal=internal,
        sent_at=timezone.now() if sent else None,
    )


def test_only_staff_write_internal_notes(thread):
    write(thread, WrittenAs.STAFF, internal=True)
    for author_as in (WrittenAs.SELF, WrittenAs.PROXY):
        with pytest.raises(IntegrityError), transaction.atomic():
            write(thread, author_as, internal=True)
    assert Message.objects.count() == 1


def test_the_patients_side_reads_sent_messages_but_no_notes_or_drafts(thread):
    reply = write(thread, WrittenAs.STAFF)
    write(thread, WrittenAs.STAFF, internal=True)
    draft = write(thread, WrittenAs.SELF, sent=False)
    assert list(Message.objects.for_patient_side()) == [reply]
    assert list(Message.objects.drafts()) == [draft]
    assert draft.is_draft is True


def test_closed_threads_are_not_open(thread):
    assert list(Thread.objects.for_patient(thread.patient).open()) == [thread]
    thread.status = ThreadStatus.CLOSED
    thread.save()
    assert list(Thread.objects.for_patient(thread.patient).open()) == []


def test_an_answered_request_says_who_answered_and_when(thread):
    staff = factories.make_staff(thread.team.clinic, StaffRole.NURSE)
    fields = {
        "patient": thread.patient,
        "kind": RequestKind.REFILL,
        "details": {"medicines": ["Metformin 500 mg"], "pharmacy": "Main Street Pharmacy"},
        "created_by": thread.created_by,
        "created_as": WrittenAs.SELF,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        CareRequest.objects.create(status=CareRequestStatus.APPROVED, **fields)
    answered = CareRequest.objects.create(
        status=CareRequestStatus.APPROVED, decided_by=staff, decided_at=timezone.now(), **fields
    )
    assert str(answered) == "Prescription refill (Approved)"
    assert CareRequest.objects.count() == 1
