"""Care-team set-up: adding and changing teams, the inbox's rules (every topic answered stays
answered, a team taking messages has staff to answer), people of one clinic only, and the exact
audit events. Refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import StaffMember
from carebridge.core.actor import Actor
from carebridge.messaging import team_setup
from carebridge.messaging.models import CareTeam, Topic
from carebridge.messaging.team_setup import TeamDetails
from carebridge.testing import factories
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _admin(cast: Cast) -> Actor:
    return Actor(user=cast.clinic_admin, acting_as="staff")


def _events() -> list[tuple[str, str, Any]]:
    events = AuditEvent.objects.filter(object_type="care_team_setup").order_by("pk")
    return [(e.action, e.object_id, e.changes) for e in events]


def _general(cast: Cast) -> CareTeam:
    """A team answering every topic, answered by Nora."""
    team = CareTeam.objects.create(clinic=cast.clinic, name="General")
    team.members.set([cast.nurse.staff_member])
    return team


def _rows(cast: Cast) -> list[tuple[str, str, list[str], bool, list[str], list[str]]]:
    teams = CareTeam.objects.filter(clinic=cast.clinic).order_by("name")
    return [
        (
            t.name,
            t.description,
            t.topics,
            t.is_active,
            sorted(p.display_name for p in t.practitioners.all()),
            sorted(m.user.display_name for m in t.members.all()),
        )
        for t in teams
    ]


def test_adding_a_team_records_its_values(cast: Cast) -> None:
    okafor = factories.make_practitioner(cast.clinic)
    details = TeamDetails(
        name=" Billing office ",
        description=" Questions about bills. ",
        topics=["billing", "appointments", "billing"],
        practitioners=[okafor],
        members=[cast.billing.staff_member, cast.front_desk.staff_member],
    )
    team = team_setup.add_team(actor=_admin(cast), clinic=cast.clinic, details=details)
    assert _rows(cast) == [
        (
            "Billing office",
            "Questions about bills.",
            ["appointments", "billing"],
            True,
            ["Sam Okafor, MD"],
            ["Bill Billing", "Fran Frontdesk"],
        )
    ]
    assert _events() == [
        (
            "create",
            str(team.pk),
            {
                "name": {"before": None, "after": "Billing office"},
                "description": {"before": None, "after": "Questions about bills."},
                "topics": {"before": None, "after": ["appointments", "billing"]},
                "clinicians": {"before": None, "after": ["Sam Okafor, MD"]},
                "staff": {"before": None, "after": ["Bill Billing", "Fran Frontdesk"]},
                "taking_messages": {"before": None, "after": True},
            },
        )
    ]


def test_changing_a_team_records_only_what_changed(cast: Cast) -> None:
    team = _general(cast)
    details = TeamDetails(
        name="General",
        members=[cast.nurse.staff_member, cast.clinician.staff_member],
    )
    team_setup.change_team(actor=_admin(cast), team=team, details=details)
    assert _events() == [
        (
            "update",
            str(team.pk),
            {"staff": {"before": ["Nora Nurse"], "after": ["Casey Clinician", "Nora Nurse"]}},
        )
    ]


def test_a_topic_left_without_an_active_team_is_refused(cast: Cast) -> None:
    team = _general(cast)
    CareTeam.objects.create(clinic=cast.clinic, name="Billing", topics=["billing"]).members.set(
        [cast.billing.staff_member]
    )
    narrowed = TeamDetails(name="General", topics=["other"], members=[cast.nurse.staff_member])
    with pytest.raises(ValidationError) as raised:
        team_setup.change_team(actor=_admin(cast), team=team, details=narrowed)
    assert raised.value.messages == [
        "No team taking messages would answer these topics any more: A question about a "
        "result, Medicines and refills, Appointments, A form or letter. Let another team "
        "answer them first."
    ]
    stopped = TeamDetails(name="General", is_active=False, members=[cast.nurse.staff_member])
    with pytest.raises(ValidationError, match="A question about a result, Medicines"):
        team_setup.change_team(actor=_admin(cast), team=team, details=stopped)
    team.refresh_from_db()
    assert (team.topics, team.is_active, _events()) == ([], True, [])


def test_narrowing_a_team_is_allowed_when_another_answers_the_rest(cast: Cast) -> None:
    team = _general(cast)
    every = TeamDetails(name="Front desk", members=[cast.front_desk.staff_member])
    team_setup.add_team(actor=_admin(cast), clinic=cast.clinic, details=every)
    narrowed = TeamDetails(name="General", topics=["other"], members=[cast.nurse.staff_member])
    team_setup.change_team(actor=_admin(cast), team=team, details=narrowed)
    team.refresh_from_db()
    assert team.topics == ["other"]


def test_a_first_team_may_answer_only_some_topics(cast: Cast) -> None:
    # Before it, no topic was answered: nothing is lost.
    details = TeamDetails(name="Billing", topics=["billing"], members=[cast.billing.staff_member])
    team_setup.add_team(actor=_admin(cast), clinic=cast.clinic, details=details)
    assert [row[0] for row in _rows(cast)] == ["Billing"]


@pytest.mark.parametrize(
    ("details", "message"),
    [
        (TeamDetails(name="  ", members=[]), "Give the team a name."),
        (
            TeamDetails(name="general", members=[]),
            "The clinic already has a team called “general”.",
        ),
        (TeamDetails(name="New", topics=["gossip"]), "Choose topics from the list."),
        (
            TeamDetails(name="New"),
            "A team taking messages needs at least one active member of staff to answer them.",
        ),
    ],
)
def test_bad_details_are_refused(cast: Cast, details: TeamDetails, message: str) -> None:
    _general(cast)
    with pytest.raises(ValidationError) as raised:
        team_setup.add_team(actor=_admin(cast), clinic=cast.clinic, details=details)
    assert raised.value.messages == [message]
    assert ([row[0] for row in _rows(cast)], _events()) == (["General"], [])


def test_a_deactivated_member_does_not_count_as_someone_to_answer(cast: Cast) -> None:
    StaffMember.objects.filter(user=cast.nurse).update(is_active=False)
    nurse = StaffMember.objects.get(user=cast.nurse)
    with pytest.raises(ValidationError, match="at least one active member of staff"):
        team_setup.add_team(
            actor=_admin(cast), clinic=cast.clinic, details=TeamDetails(name="N", members=[nurse])
        )
    # A team not taking messages may have nobody.
    team_setup.add_team(
        actor=_admin(cast), clinic=cast.clinic, details=TeamDetails(name="N", is_active=False)
    )


def test_people_of_another_clinic_are_refused(cast: Cast) -> None:
    team = _general(cast)
    theirs = factories.make_practitioner(cast.other_clinic)
    olive = cast.other_clinic_admin.staff_member
    for details in (
        TeamDetails(name="General", members=[cast.nurse.staff_member, olive]),
        TeamDetails(name="General", members=[cast.nurse.staff_member], practitioners=[theirs]),
    ):
        with pytest.raises(ValidationError) as raised:
            team_setup.change_team(actor=_admin(cast), team=team, details=details)
        assert raised.value.messages == ["Choose people of this clinic."]
    assert (_rows(cast), _events()) == ([("General", "", [], True, [], ["Nora Nurse"])], [])


def test_answered_topics_counts_only_active_teams() -> None:
    assert team_setup.answered_topics([(False, []), (True, ["billing"])]) == {"billing"}
    assert team_setup.answered_topics([(True, [])]) == set(Topic.values)
