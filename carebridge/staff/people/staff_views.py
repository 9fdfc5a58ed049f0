"""The clinic administrator's staff-accounts pages: the list, inviting someone, and one
member's page with its actions (role, deactivate or reactivate, reset two-step verification,
send the invitation again).

Views are thin: `staff_required("manage_clinic")` (404 for anyone else), a selector finds the
member within the administrator's own clinic (404 for another clinic's), a service writes and
audits. The pages show staff accounts only, no patient's data, so they record no view.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from carebridge.clinic import staff_accounts
from carebridge.clinic.models import Clinic, StaffMember
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.staff.access import staff_required
from carebridge.staff.people import selectors
from carebridge.staff.people.forms import InviteForm, RoleForm

PERMISSION = "manage_clinic"


def clinic_of(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD"])
def staff_list(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's staff accounts: name, e-mail, role, active, two-step, last sign-in."""
    members = selectors.list_staff(clinic_of(request))
    return render(request, "staff/people/staff_list.html", {"members": members})


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def staff_invite(request: AuthenticatedRequest) -> HttpResponse:
    """Invite someone by e-mail with a role; they choose a password from the e-mail's link."""
    clinic = clinic_of(request)
    form = InviteForm(request.POST if request.method == "POST" else None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation = staff_accounts.Invitation(
            email=data["email"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            role=data["role"],
            practitioner=data["practitioner"],
        )
        try:
            member = staff_accounts.invite_staff(
                actor=Actor.from_request(request), clinic=clinic, invitation=invitation
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": member.user.email},
            )
            return redirect("staff:setup-staff-detail", member.pk)
    return render(request, "staff/people/staff_invite.html", {"form": form})


def _detail(
    request: AuthenticatedRequest, member: StaffMember, role_form: RoleForm | None = None
) -> HttpResponse:
    context = {
        "member": member,
        "role_form": role_form or RoleForm(initial={"role": member.role}),
        "is_self": member.user_id == request.user.pk,
        "has_password": member.user.has_usable_password(),
    }
    return render(request, "staff/people/staff_detail.html", context)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD"])
def staff_detail(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """One member's account, with the actions an administrator may take."""
    return _detail(request, selectors.get_clinic_member(clinic_of(request), member_id))


@staff_required(PERMISSION)
@require_POST
def staff_role(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """Change the member's role (their group changes with it)."""
    member = selectors.get_clinic_member(clinic_of(request), member_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            staff_accounts.change_role(
                actor=Actor.from_request(request), member=member, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Role saved."))
            return redirect("staff:setup-staff-detail", member.pk)
    return _detail(request, member, role_form=form)


def _act(
    request: AuthenticatedRequest,
    member_id: int,
    action: Callable[..., object],
    done: str,
) -> HttpResponse:
    member = selectors.get_clinic_member(clinic_of(request), member_id)
    try:
        action(actor=Actor.from_request(request), member=member)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("staff:setup-staff-detail", member.pk)


@staff_required(PERMISSION)
@require_POST
def staff_deactivate(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """Stop the member signing in; their open sessions end at once."""
    done = _("Account deactivated. They have been signed out and cannot sign in.")
    return _act(request, member_id, staff_accounts.deactivate_staff, done)


@staff_required(PERMISSION)
@require_POST
def staff_reactivate(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """Let a deactivated member sign in again."""
    done = _("Account reactivated. They can sign in again.")
    return _act(request, member_id, staff_accounts.reactivate_staff, done)


@staff_required(PERMISSION)
@require_POST
def staff_two_step(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """Reset the member's two-step verification; they set it up again at next sign-in."""
    done = _("Two-step verification reset. They have been told by e-mail.")
    return _act(request, member_id, staff_accounts.reset_two_step, done)


@staff_required(PERMISSION)
@require_POST
def staff_resend(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """Send the invitation again, with a new link, to someone without a password yet."""
    done = _("Invitation sent again.")
    return _act(request, member_id, staff_accounts.resend_invitation, done)
