"""The portal picks the team from what a message is about (`selectors.pick_team`): each topic
to the team that lists it, a topic no team lists to a team answering everything, else to the
default team (the one answering "Something else"), else to the only team; a chosen clinician
picks among equals. Also the "Answered" status a conversation shows to the patient's side."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from carebridge.messaging import services
from carebridge.messaging.models import CareTeam, Thread, ThreadStatus, Topic
from carebridge.messaging.selectors import is_answered, pick_team
from carebridge.messaging.services.clinic_threads import start_staff_thread
from carebridge.messaging.tests.conftest import NOW
from carebridge.testing import factories
from carebridge.testing.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]


DOCTORS_TOPICS = ["result", "medicines", "other"]


def _teams(cast: Any) -> dict[str, CareTeam]:
    make = CareTeam.objects.create
    return {
        "doctors": make(
            clinic=cast.clinic, name="Doctors", topics=["result", "medicines", "other"]
        ),
        "desk": make(clinic=cast.clinic, name="Desk", topics=["appointments", "billing"]),
        "closed": make(clinic=cast.clinic, name="Closed", topics=["forms"], is_active=False),
        "elsewhere": make(clinic=cast.other_clinic, name="Elsewhere", topics=["forms"]),
    }


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        (Topic.RESULT, "Doctors"),
        (Topic.MEDICINES, "Doctors"),
        (Topic.APPOINTMENTS, "Desk"),
        (Topic.BILLING, "Desk"),
        (Topic.OTHER, "Doctors"),
        # No active team of the clinic lists forms: the default team answers.
        (Topic.FORMS, "Doctors"),
    ],
)
def test_each_topic_goes_to_its_team(cast, topic, expected):
    _teams(cast)
    team = pick_team(cast.patient, topic, None)
    assert team is not None and team.name == expected


def test_a_team_answering_everything_comes_before_the_default_team(cast):
    _teams(cast)
    CareTeam.objects.create(clinic=cast.clinic, name="Anything", topics=[])
    team = pick_team(cast.patient, Topic.FORMS, None)
    assert team is not None and team.name == "Anything"


def test_a_clinic_with_one_team_sends_everything_to_it(cast):
    only = CareTeam.objects.create(clinic=cast.clinic, name="Only", topics=["billing"])
    assert [pick_team(cast.patient, topic, None) for topic in Topic.values] == [only] * 6


def test_no_team_taking_messages_picks_none(cast):
    CareTeam.objects.create(clinic=cast.clinic, name="Closed", is_active=False)
    assert pick_team(cast.patient, Topic.OTHER, None) is None


def test_a_chosen_clinician_picks_among_the_teams_of_the_topic(cast):
    teams = _teams(cast)
    kids = CareTeam.objects.create(clinic=cast.clinic, name="Children", topics=["result"])
    nurse = factories.make_practitioner(cast.clinic, given_name="Rita", family_name="Lind")
    kids.practitioners.add(nurse)
    assert pick_team(cast.patient, Topic.RESULT, None) == kids
    assert pick_team(cast.patient, Topic.RESULT, nurse) == kids
    teams["doctors"].practitioners.add(nurse)
    doctor = factories.make_practitioner(cast.clinic, given_name="Dan", family_name="Doe")
    teams["doctors"].practitioners.add(doctor)
    assert pick_team(cast.patient, Topic.RESULT, doctor) == teams["doctors"]
    # The billing desk has no clinicians: a clinician chosen for a bill is refused.
    assert pick_team(cast.patient, Topic.BILLING, doctor) is None


# "Answered"


def _status_words(cast: Any, thread: Thread) -> tuple[bool, bool]:
    listed = Thread.objects.with_answered().get(pk=thread.pk)
    fresh = Thread.objects.get(pk=thread.pk)
    return listed.is_answered, is_answered(fresh)


def test_answered_once_the_clinic_replies_until_the_patient_writes_again(cast, team):
    thread = services.start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject="Rash",
        body="It itches.",
        now=NOW,
    )
    assert _status_words(cast, thread) == (False, False)
    # Each message a minute after the one before: the order is what this test is about.
    services.reply(
        actor=cast.nurse,
        acting_as="staff",
        thread=thread,
        body="Use cream.",
        now=NOW + datetime.timedelta(minutes=1),
    )
    assert _status_words(cast, thread) == (True, True)
    html = client_for(cast.patient_user).get("/messages/").content.decode()
    assert "<dd>Answered</dd>" in html
    page = client_for(cast.patient_user).get(f"/messages/{thread.pk}/").content.decode()
    assert "<dt>Status</dt><dd>Answered</dd>" in page
    services.reply(
        actor=cast.patient_user,
        acting_as="self",
        thread=thread,
        body="Thanks!",
        now=NOW + datetime.timedelta(minutes=2),
    )
    assert _status_words(cast, thread) == (False, False)
    services.reply(
        actor=cast.nurse,
        acting_as="staff",
        thread=thread,
        body="Welcome.",
        now=NOW + datetime.timedelta(minutes=3),
    )
    assert _status_words(cast, thread) == (True, True)
    Thread.objects.filter(pk=thread.pk).update(status=ThreadStatus.CLOSED)
    assert _status_words(cast, thread) == (False, False)


def test_a_conversation_the_clinic_started_is_not_answered(cast, team):
    team.members.add(cast.nurse.staff_member)
    thread = start_staff_thread(
        actor=cast.nurse,
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject="Your flu shot",
        body="It is time for your flu shot.",
        now=NOW,
    )
    assert _status_words(cast, thread) == (False, False)
