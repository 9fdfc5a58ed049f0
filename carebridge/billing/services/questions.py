"""A question about a statement: a conversation with the clinic's billing team, with the
statement attached by reference (its number is shown on both sides; the notices say only that
there is a new message)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carebridge.messaging.models import CareTeam, Thread, Topic
from carebridge.messaging.selectors import teams_for
from carebridge.messaging.services import start_thread

if TYPE_CHECKING:
    from carebridge.billing.models import Statement
    from carebridge.core.actor import Actor


def billing_team_for(statement: Statement) -> CareTeam | None:
    """The care team that answers billing questions at the statement's clinic: a team that
    lists the billing topic, else one that answers every topic (by name); None when no
    team takes billing questions (one query)."""
    teams = list(teams_for(statement.patient))
    listing_billing = [team for team in teams if Topic.BILLING in (team.topics or [])]
    answering_all = [team for team in teams if not team.topics]
    return next(iter(listing_billing + answering_all), None)


def ask_about_statement(
    *, actor: Actor, statement: Statement, body: str, submission: uuid.UUID | None
) -> Thread:
    """Start a billing conversation about one of the patient's statements, as the patient or
    a caregiver or parent who may write for them. Checks, audit, idempotency and notices are
    `messaging.services.start_thread`'s (PermissionDenied for a proxy who may not write,
    ValidationError for empty words). Raises ValidationError when no team takes billing
    questions."""
    team = billing_team_for(statement)
    if team is None:
        raise ValidationError(_("Your clinic does not take billing questions here. Please call."))
    assert actor.user is not None
    return start_thread(
        actor=actor.user,
        acting_as=actor.acting_as,
        patient=statement.patient,
        team=team,
        topic=Topic.BILLING,
        subject=_("Question about statement %(number)s") % {"number": statement.display_number},
        body=body,
        now=actor.now,
        submission=submission,
        request=actor.request,
        statement=statement,
    )
