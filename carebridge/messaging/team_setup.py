"""A clinic administrator's set-up of the clinic's care teams: who answers which messages.

The inbox relies on two rules kept here: a topic some active team answered is still answered
by some active team after the change (otherwise patients could no longer write about it, and
billing questions would have nowhere to go), and a team taking messages has at least one active
member of staff to answer them. Clinicians and staff come only from the team's own clinic.

Audit rule: each addition or change is recorded with `record_change` as a "care_team_setup" (the
team's id) with the changed values before and after (lists as sorted names or values), in the
same transaction. Nothing is told to patients.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change
from carebridge.clinic.models import Clinic, Practitioner, StaffMember
from carebridge.messaging.models import CareTeam, Topic

if TYPE_CHECKING:
    from carebridge.core.actor import Actor

OBJECT_TYPE = "care_team_setup"


@dataclass(frozen=True)
class TeamDetails:
    name: str
    description: str = ""
    # Topic values; empty: the team answers every topic.
    topics: list[str] = field(default_factory=list)
    practitioners: list[Practitioner] = field(default_factory=list)
    members: list[StaffMember] = field(default_factory=list)
    is_active: bool = True


def add_team(*, actor: Actor, clinic: Clinic, details: TeamDetails) -> CareTeam:
    """Add a care team to the clinic (ValidationError, nothing made, when the details break a
    rule above). Audit: "care_team_setup" created, with its values."""
    with transaction.atomic():
        _check(clinic, details, team=None)
        team = CareTeam.objects.create(clinic=clinic, **_plain_fields(details))
        _set_people(team, details)
        record_change(
            actor=actor.user,
            object_type=OBJECT_TYPE,
            object_id=team.pk,
            before={},
            after=snapshot(team),
            action=AuditAction.CREATE,
            request=actor.request,
        )
    return team


def change_team(*, actor: Actor, team: CareTeam, details: TeamDetails) -> CareTeam:
    """Change a care team's name, words, topics, people or whether it takes messages
    (ValidationError, nothing changed, when the details break a rule above).
    Audit: "care_team_setup" updated, the changed values before and after."""
    with transaction.atomic():
        locked = CareTeam.objects.select_for_update().get(pk=team.pk)
        _check(locked.clinic, details, team=locked)
        before = snapshot(locked)
        for name, value in _plain_fields(details).items():
            setattr(locked, name, value)
        locked.save()
        _set_people(locked, details)
        record_change(
            actor=actor.user,
            object_type=OBJECT_TYPE,
            object_id=locked.pk,
            before=before,
            after=snapshot(locked),
            request=actor.request,
        )
    return locked


def snapshot(team: CareTeam) -> dict[str, Any]:
    """What the audit trail records of a team, as JSON values."""
    members = StaffMember.objects.filter(care_teams=team).select_related("user")
    return {
        "name": team.name,
        "description": team.description,
        "topics": sorted(team.topics),
        "clinicians": sorted(p.display_name for p in team.practitioners.all()),
        "staff": sorted(member.user.display_name for member in members),
        "taking_messages": team.is_active,
    }


def answered_topics(teams: Iterable[tuple[bool, list[str]]]) -> set[str]:
    """The topics answered by the active teams among (is_active, topics) pairs; a team with no
    topics listed answers every topic."""
    answered: set[str] = set()
    for is_active, topics in teams:
        if is_active:
            answered |= set(topics or Topic.values)
    return answered


def _plain_fields(details: TeamDetails) -> dict[str, Any]:
    return {
        "name": details.name.strip(),
        "description": details.description.strip(),
        "topics": sorted(set(details.topics)),
        "is_active": details.is_active,
    }


def _set_people(team: CareTeam, details: TeamDetails) -> None:
    team.practitioners.set(details.practitioners)
    team.members.set(details.members)


def _check(clinic: Clinic, details: TeamDetails, team: CareTeam | None) -> None:
    if not details.name.strip():
        raise ValidationError(_("Give the team a name."), code="name")
    if any(topic not in Topic.values for topic in details.topics):
        raise ValidationError(_("Choose topics from the list."), code="topic")
    if any(p.clinic_id != clinic.pk for p in details.practitioners) or any(
        m.clinic_id != clinic.pk for m in details.members
    ):
        raise ValidationError(_("Choose people of this clinic."), code="other_clinic")
    others = CareTeam.objects.filter(clinic=clinic)
    if team is not None:
        others = others.exclude(pk=team.pk)
    if others.filter(name__iexact=details.name.strip()).exists():
        raise ValidationError(
            _("The clinic already has a team called “%(name)s”.") % {"name": details.name.strip()},
            code="name_taken",
        )
    if details.is_active and not any(member.is_active for member in details.members):
        raise ValidationError(
            _("A team taking messages needs at least one active member of staff to answer them."),
            code="no_staff",
        )
    _check_topics_stay_answered(others, team, details)


def _check_topics_stay_answered(others: Any, team: CareTeam | None, details: TeamDetails) -> None:
    rest = [(other.is_active, other.topics) for other in others]
    before = answered_topics(rest + ([(team.is_active, team.topics)] if team else []))
    after = answered_topics([*rest, (details.is_active, details.topics)])
    lost = [value for value in Topic.values if value in before - after]
    if lost:
        names = ", ".join(str(Topic(value).label) for value in lost)
        raise ValidationError(
            _(
                "No team taking messages would answer these topics any more: %(topics)s. "
                "Let another team answer them first."
            )
            % {"topics": names},
            code="topic_unanswered",
        )
