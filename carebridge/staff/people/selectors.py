"""Reads for the staff-accounts and care-team pages, always within the administrator's own
clinic: another clinic's member or team is a 404, like one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from carebridge.clinic.models import Clinic, Practitioner, StaffMember
from carebridge.messaging.models import CareTeam, Topic


def _with_two_step(members: QuerySet[StaffMember]) -> QuerySet[StaffMember]:
    has_two_step = Authenticator.objects.filter(user_id=OuterRef("user_id"))
    return members.select_related("user", "user__practitioner").annotate(
        has_two_step=Exists(has_two_step)
    )


def list_staff(clinic: Clinic) -> list[StaffMember]:
    """The clinic's staff, active first, by name, each with `has_two_step` (one query)."""
    members = StaffMember.objects.filter(clinic=clinic)
    ordered = members.order_by("-is_active", "user__last_name", "user__first_name", "pk")
    return list(_with_two_step(ordered))


def get_clinic_member(clinic: Clinic, member_id: int) -> StaffMember:
    """One of the clinic's staff, with `has_two_step`; Http404 for anyone else."""
    found = _with_two_step(StaffMember.objects.filter(clinic=clinic, pk=member_id)).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class TeamRow:
    team: CareTeam
    # The topics it answers, as patients read them; empty: every topic.
    topics: list[str]
    # False for a team taking messages that no active member of staff answers (everyone on it
    # was deactivated since): its messages would wait unread.
    is_answered: bool


def list_teams(clinic: Clinic) -> list[TeamRow]:
    """The clinic's care teams with their topics, clinicians and staff (three queries)."""
    staff = StaffMember.objects.select_related("user").order_by("user__last_name", "pk")
    clinicians = Practitioner.objects.order_by("family_name", "given_name", "pk")
    teams = CareTeam.objects.filter(clinic=clinic).order_by("-is_active", "name")
    with_people = teams.prefetch_related(
        Prefetch("members", queryset=staff), Prefetch("practitioners", queryset=clinicians)
    )
    return [
        TeamRow(
            team=team,
            topics=[str(label) for value, label in Topic.choices if value in team.topics],
            is_answered=not team.is_active or any(m.is_active for m in team.members.all()),
        )
        for team in with_people
    ]


def get_clinic_team(clinic: Clinic, team_id: int) -> CareTeam:
    """One of the clinic's care teams; Http404 for another clinic's or none."""
    found = CareTeam.objects.filter(clinic=clinic, pk=team_id).first()
    if found is None:
        raise Http404
    return found
