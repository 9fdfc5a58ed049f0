"""The care-team pages: Ada (clinic administrator) lists, adds and changes the clinic's teams.
People of another clinic are never offered and are refused if posted; another clinic's team is
a 404; refusals are messages on the form and change nothing."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.messaging.models import CareTeam
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

LIST = "/staff/setup/teams/"
ADD = "/staff/setup/teams/new/"


def _edit(team: CareTeam) -> str:
    return f"/staff/setup/teams/{team.pk}/"


def _words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _events() -> list[tuple[str, str, Any]]:
    events = AuditEvent.objects.filter(object_type="care_team_setup").order_by("pk")
    return [(e.action, e.object_id, e.changes) for e in events]


def _teams() -> list[tuple[str, str, list[str], bool, list[int], list[int]]]:
    return [
        (
            t.clinic.slug,
            t.name,
            t.topics,
            t.is_active,
            sorted(t.practitioners.values_list("pk", flat=True)),
            sorted(t.members.values_list("pk", flat=True)),
        )
        for t in CareTeam.objects.order_by("pk")
    ]


def _general(cast: Cast) -> CareTeam:
    team = CareTeam.objects.create(clinic=cast.clinic, name="General", description="Anything.")
    team.members.set([cast.nurse.staff_member])
    return team


def test_the_list_shows_our_teams_in_words(cast: Cast) -> None:
    okafor = factories.make_practitioner(cast.clinic)
    team = _general(cast)
    team.practitioners.set([okafor])
    billing = CareTeam.objects.create(
        clinic=cast.clinic, name="Billing", topics=["billing", "forms"], is_active=False
    )
    billing.members.set([cast.billing.staff_member])
    CareTeam.objects.create(clinic=cast.other_clinic, name="Hilltop desk")
    words = _words(client_for(cast.clinic_admin).get(LIST).content.decode())
    assert (
        "General Anything. Taking messages Yes Topics Every topic Clinicians Sam Okafor, MD "
        "Staff who answer Nora Nurse"
    ) in words
    assert (
        "Billing Taking messages No Topics Bills and insurance, A form or letter Clinicians None "
        "Staff who answer Bill Billing"
    ) in words
    assert "Hilltop desk" not in words
    assert (
        "A message about a topic no team answers goes to the team that answers “Something "
        "else”. A clinic with one team: every message goes to it."
    ) in words


def test_adding_a_team(cast: Cast) -> None:
    okafor = factories.make_practitioner(cast.clinic)
    form = client_for(cast.clinic_admin).get(ADD).content.decode()
    assert "Olive Other" not in form
    assert f'value="{cast.nurse.staff_member.pk}"' in form
    response = client_for(cast.clinic_admin).post(
        ADD,
        {
            "name": "Nurses",
            "description": "Questions for a nurse.",
            "topics": ["other"],
            "practitioners": [str(okafor.pk)],
            "members": [str(cast.nurse.staff_member.pk)],
            "is_active": "on",
        },
    )
    assert (response["Location"], flashed(response)) == (LIST, ["Team added."])
    team = CareTeam.objects.get()
    assert _teams() == [
        ("riverside", "Nurses", ["other"], True, [okafor.pk], [cast.nurse.staff_member.pk])
    ]
    assert _events()[0][:2] == ("create", str(team.pk))


def test_changing_a_team_is_audited_with_before_and_after(cast: Cast) -> None:
    team = _general(cast)
    page = client_for(cast.clinic_admin).get(_edit(team)).content.decode()
    assert 'value="General"' in page
    response = client_for(cast.clinic_admin).post(
        _edit(team),
        {
            "name": "General questions",
            "description": "Anything.",
            "members": [str(cast.nurse.staff_member.pk), str(cast.front_desk.staff_member.pk)],
            "is_active": "on",
        },
    )
    assert (response["Location"], flashed(response)) == (LIST, ["Team saved."])
    assert _events() == [
        (
            "update",
            str(team.pk),
            {
                "name": {"before": "General", "after": "General questions"},
                "staff": {"before": ["Nora Nurse"], "after": ["Fran Frontdesk", "Nora Nurse"]},
            },
        )
    ]


def test_stopping_the_only_team_is_refused_on_the_form(cast: Cast) -> None:
    team = _general(cast)
    before = _teams()
    page = client_for(cast.clinic_admin).post(
        _edit(team), {"name": "General", "members": [str(cast.nurse.staff_member.pk)]}
    )
    assert page.status_code == 200
    assert (
        "No team taking messages would answer these topics any more: A question about a "
        "result, Medicines and refills, Appointments, Bills and insurance, A form or letter, "
        "Something else. Let another team answer them first."
    ) in _words(page.content.decode())
    assert (_teams(), _events()) == (before, [])


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("members", "Staff who answer this team's messages: Choose staff from the list."),
        ("practitioners", "Clinicians patients see in this team: Choose clinicians from the list."),
    ],
)
def test_people_of_another_clinic_are_refused_if_posted(
    cast: Cast, field: str, message: str
) -> None:
    team = _general(cast)
    theirs = {
        "members": cast.other_clinic_admin.staff_member.pk,
        "practitioners": factories.make_practitioner(cast.other_clinic).pk,
    }
    data: dict[str, Any] = {
        "name": "General",
        "members": [str(cast.nurse.staff_member.pk)],
        "is_active": "on",
    }
    data[field] = [*data.get(field, []), str(theirs[field])]
    before = _teams()
    page = client_for(cast.clinic_admin).post(_edit(team), data)
    assert message in _words(page.content.decode())
    assert (_teams(), _events()) == (before, [])


def test_a_bad_topic_and_a_missing_name_are_messages(cast: Cast) -> None:
    page = client_for(cast.clinic_admin).post(ADD, {"name": "", "topics": ["gossip"]})
    words = _words(page.content.decode())
    assert "Team name: Give the team a name." in words
    assert "The topics this team answers: Choose topics from the list." in words
    assert (_teams(), _events()) == ([], [])


def test_another_clinics_team_is_not_found_and_nothing_changes(cast: Cast) -> None:
    theirs = CareTeam.objects.create(clinic=cast.other_clinic, name="Hilltop desk")
    ours = _general(cast)
    before = _teams()
    admin = client_for(cast.clinic_admin)
    olive = client_for(cast.other_clinic_admin)
    assert admin.get(_edit(theirs)).status_code == 404
    assert admin.post(_edit(theirs), {"name": "Mine now"}).status_code == 404
    assert olive.get(_edit(ours)).status_code == 404
    assert olive.post(_edit(ours), {"name": "Mine now"}).status_code == 404
    assert (_teams(), _events()) == (before, [])


def test_staff_without_manage_clinic_get_404(cast: Cast) -> None:
    team = _general(cast)
    for user in (cast.nurse, cast.front_desk, cast.patient_user):
        client = client_for(user)
        assert [client.get(LIST).status_code, client.post(ADD, {"name": "X"}).status_code] == [
            404,
            404,
        ]
        assert client.post(_edit(team), {"name": "X"}).status_code == 404
    assert _events() == []


def test_a_deactivated_member_stays_offered_on_their_team_and_says_so(cast: Cast) -> None:
    team = _general(cast)
    team.members.add(cast.billing.staff_member)
    cast.billing.staff_member.is_active = False
    cast.billing.staff_member.save()
    edit = _words(client_for(cast.clinic_admin).get(_edit(team)).content.decode())
    add = _words(client_for(cast.clinic_admin).get(ADD).content.decode())
    assert "Bill Billing (Billing), deactivated" in edit
    assert "Bill Billing" not in add
    assert "Nora Nurse (Nurse)" in add


def test_a_team_nobody_answers_any_more_is_pointed_out(cast: Cast) -> None:
    _general(cast)
    warning = "Warning: nobody answers this team's messages"
    assert warning not in _words(client_for(cast.clinic_admin).get(LIST).content.decode())
    cast.nurse.staff_member.is_active = False
    cast.nurse.staff_member.save()
    assert warning in _words(client_for(cast.clinic_admin).get(LIST).content.decode())
