"""The patient's own caregivers: who can help them, inviting someone, changing and ending access.

Every page here works on the signed-in user's OWN patient record (`acting.own_patient`), never
on the record they may be acting on for someone else: a caregiver cannot manage the caregivers
of the person they help. Anyone without a patient record of their own gets 404, and so does a
grant that is not one of the user's own caregivers' (another patient's, or a parent's).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.proxies import selectors
from carebridge.proxies.forms import ChangeScopesForm, InviteCaregiverForm
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.proxies.services.grants import change_scopes, revoke_grant
from carebridge.proxies.services.invitations import invite_caregiver


def own_patient(request: AuthenticatedRequest) -> Patient:
    """The signed-in user's own patient record (with its clinic), or 404."""
    patient = request.acting.own_patient
    if patient is None:
        raise Http404
    return patient


def _own_caregiver_grant(request: AuthenticatedRequest, grant_id: uuid.UUID) -> ProxyGrant:
    grant = selectors.find_caregiver_grant(own_patient(request), grant_id)
    if grant is None:
        raise Http404
    return grant


def _person(grant: ProxyGrant) -> str:
    return grant.proxy.display_name if grant.proxy is not None else grant.invite_email


@login_required
def caregiver_list(request: AuthenticatedRequest) -> HttpResponse:
    """Who can help the patient, who is invited, and whose access has ended (and why).

    Audited as the patient viewing their own list of grants. A patient under the adult age sees
    their parents' access, read-only (clinic staff manage it), and no invitation link.
    """
    patient = own_patient(request)
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="proxy_grants",
        patient=patient,
        acting_as="self",
        request=request,
    )
    context = {
        "grants": selectors.list_patient_grants(patient),
        "is_adult": selectors.is_adult_today(patient),
        "is_teen": selectors.is_teen_today(patient),
    }
    with timezone.override(patient.clinic.time_zone):
        return render(request, "proxies/caregivers.html", context)


@login_required
def invite(request: AuthenticatedRequest) -> HttpResponse:
    """Invite a caregiver by e-mail, choosing what they may see and do, and until when.

    Only an adult patient may invite; anyone younger gets a page saying so (403), and nothing
    changes. The service audits the invitation and sends the e-mail.
    """
    patient = own_patient(request)
    if not selectors.is_adult_today(patient):
        return render(request, "proxies/invite_adults_only.html", status=403)
    form = InviteCaregiverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invite_caregiver(
                actor=request.user,
                patient=patient,
                email=data["email"],
                relationship=data["relationship"],
                scopes=data["scopes"],
                ends_on=data["ends_on"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _(
                "We have sent an invitation to %(email)s. The link in it works for %(days)s days."
            )
            email = data["email"].strip().lower()
            days = settings.CAREBRIDGE_PROXY_INVITE_DAYS
            messages.success(request, message % {"email": email, "days": days})
            return redirect("proxies:caregivers")
    return render(request, "proxies/caregiver_invite.html", {"form": form})


@login_required
def change(request: AuthenticatedRequest, grant_id: uuid.UUID) -> HttpResponse:
    """Narrow or widen what one of the patient's caregivers may see and do.

    Takes effect on the caregiver's next request; the service audits it. An ended grant cannot
    change: the page goes back to the list and says so.
    """
    grant = _own_caregiver_grant(request, grant_id)
    if not grant.is_open:
        messages.info(request, _("This access has already ended."))
        return redirect("proxies:caregivers")
    form = ChangeScopesForm(
        request.POST if request.method == "POST" else None, initial={"scopes": grant.scopes}
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_scopes(
                actor=request.user, grant=grant, scopes=form.cleaned_data["scopes"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Saved. The change applies from %(name)s's next visit.") % _who(grant)
            )
            return redirect("proxies:caregivers")
    context = {"form": form, "row": selectors.describe_grant(grant)}
    with timezone.override(grant.patient.clinic.time_zone):
        return render(request, "proxies/caregiver_change.html", context)


def _who(grant: ProxyGrant) -> dict[str, str]:
    return {"name": _person(grant)}


@login_required
def revoke(request: AuthenticatedRequest, grant_id: uuid.UUID) -> HttpResponse:
    """Ask, then end a caregiver's access now, or cancel an invitation nobody has accepted.

    Takes effect on the caregiver's next request. The service audits it and, for access that
    was in use, tells both the caregiver and the patient by e-mail.
    """
    grant = _own_caregiver_grant(request, grant_id)
    if not grant.is_open:
        messages.info(request, _("This access has already ended."))
        return redirect("proxies:caregivers")
    is_invitation = grant.status == GrantStatus.INVITED
    if request.method == "POST":
        revoke_grant(
            actor=request.user, grant=grant, reason=EndReason.REVOKED_BY_PATIENT, request=request
        )
        if is_invitation:
            done = _("The invitation to %(name)s is cancelled. Its link no longer works.")
        else:
            done = _("%(name)s can no longer help you. We have told them by e-mail.")
        messages.success(request, done % _who(grant))
        return redirect("proxies:caregivers")
    context = {"row": selectors.describe_grant(grant), "is_invitation": is_invitation}
    with timezone.override(grant.patient.clinic.time_zone):
        return render(request, "proxies/caregiver_revoke.html", context)
