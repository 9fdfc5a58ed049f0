"""The clinic administrator's care-team pages: the list, adding a team and changing one.

Views are thin: `staff_required("manage_clinic")` (404 for anyone else), a selector finds the
team within the administrator's own clinic (404 for another clinic's), a service checks the
inbox's rules, writes and audits. No patient's data is shown, so no view is recorded.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.messaging import team_setup
from carebridge.messaging.models import CareTeam
from carebridge.staff.access import staff_required
from carebridge.staff.people import selectors
from carebridge.staff.people.forms import TeamForm, team_details_initial
from carebridge.staff.people.staff_views import PERMISSION, clinic_of


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD"])
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's care teams: topics, clinicians, staff, taking messages or not."""
    teams = selectors.list_teams(clinic_of(request))
    return render(request, "staff/people/team_list.html", {"teams": teams})


def _details(form: TeamForm) -> team_setup.TeamDetails:
    data = form.cleaned_data
    return team_setup.TeamDetails(
        name=data["name"],
        description=data["description"],
        topics=list(data["topics"]),
        practitioners=list(data["practitioners"]),
        members=list(data["members"]),
        is_active=data["is_active"],
    )


def _save(request: AuthenticatedRequest, form: TeamForm, team: CareTeam | None) -> bool:
    actor = Actor.from_request(request)
    try:
        if team is None:
            team_setup.add_team(actor=actor, clinic=clinic_of(request), details=_details(form))
        else:
            team_setup.change_team(actor=actor, team=team, details=_details(form))
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def team_add(request: AuthenticatedRequest) -> HttpResponse:
    """Add a care team."""
    clinic = clinic_of(request)
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        clinic=clinic,
        team=None,
        initial={"is_active": True},
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, None):
        messages.success(request, _("Team added."))
        return redirect("staff:setup-team-list")
    return render(request, "staff/people/team_form.html", {"form": form, "team": None})


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def team_edit(request: AuthenticatedRequest, team_id: int) -> HttpResponse:
    """Change a care team."""
    clinic = clinic_of(request)
    team = selectors.get_clinic_team(clinic, team_id)
    initial = team_details_initial(team)
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        clinic=clinic,
        team=team,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, team):
        messages.success(request, _("Team saved."))
        return redirect("staff:setup-team-list")
    return render(request, "staff/people/team_form.html", {"form": form, "team": team})
