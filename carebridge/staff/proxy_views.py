"""The console's pages on who may help a patient: parents and guardians, and caregivers.

Only front desk staff and clinic administrators (the `proxies.grant_proxy_access`
permission), and only for their own clinic's patients: anyone else gets the console's 404.
Staff check a parent's identity and relationship in person, then give access here; they may
change a parent's access, and end anyone's. The proxies services make every rule, write the
audit trail and send the e-mails; viewing the page is audited here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.proxies.services.common import GRANT_PERMISSION
from carebridge.proxies.services.grants import (
    change_scopes,
    revoke_grant,
    staff_may_change_scopes,
)
from carebridge.proxies.services.guardians import give_guardian_access
from carebridge.staff import proxy_selectors as selectors
from carebridge.staff.access import staff_required
from carebridge.staff.proxy_forms import ChangeScopesForm, ParentalAccessForm

View = Callable[..., HttpResponseBase]


def _patient(request: AuthenticatedRequest, patient_id: uuid.UUID) -> Patient:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return selectors.get_clinic_patient(clinic=staff.clinic, patient_id=patient_id)


def _audit_view(
    request: AuthenticatedRequest, patient: Patient, object_type: str, object_id: object = ""
) -> None:
    """Audit rule: every page here shows the patient's name and age (and who may help them),
    so showing it is recorded as a view by staff."""
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type=object_type,
        object_id=object_id,
        patient=patient,
        acting_as="staff",
        request=request,
    )


def _back_to_access(patient: Patient) -> HttpResponse:
    return redirect("staff:patient-access", patient_id=patient.pk)


def _already_ended(request: AuthenticatedRequest, patient: Patient) -> HttpResponse:
    # A second click, or a colleague (or the patient) was quicker.
    messages.warning(request, _("This access has already ended."))
    return _back_to_access(patient)


@staff_required(GRANT_PERMISSION)
@require_safe
def patient_access(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Who may help the patient, and who could before. Audited as staff viewing the grants."""
    patient = _patient(request, patient_id)
    open_rows, ended_rows = selectors.list_grant_rows(patient)
    _audit_view(request, patient, "proxy_grants")
    context = {
        "patient": patient,
        "age": selectors.get_patient_age(patient),
        "open_rows": open_rows,
        "ended_rows": ended_rows,
    }
    return render(request, "staff/patient_access.html", context)


@staff_required(GRANT_PERMISSION)
@require_http_methods(["GET", "POST"])
def patient_access_grant(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Give a parent or legal guardian access to a minor's record, after checking who they are.

    A parent with a portal account has access at once; one without is e-mailed an invitation.
    A refusal (an adult patient, the patient themselves, someone who already has access) is
    shown on the form and saves nothing.
    """
    patient = _patient(request, patient_id)
    age = selectors.get_patient_age(patient)
    form = ParentalAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not age.is_adult and form.is_valid():
        grant = _give(request, patient, form)
        if grant is not None:
            _say_given(request, grant)
            return _back_to_access(patient)
    _audit_view(request, patient, "proxy_grant_form")
    context = {"patient": patient, "age": age, "form": form}
    return render(request, "staff/patient_access_grant.html", context)


def _give(
    request: AuthenticatedRequest, patient: Patient, form: ParentalAccessForm
) -> ProxyGrant | None:
    data = form.cleaned_data
    try:
        return give_guardian_access(
            actor=request.user,
            patient=patient,
            email=data["email"],
            relationship=data["relationship"],
            scopes=data["scopes"],
            note=data["note"],
            request=request,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _say_given(request: AuthenticatedRequest, grant: ProxyGrant) -> None:
    if grant.status == GrantStatus.INVITED:
        days = settings.CAREBRIDGE_PROXY_INVITE_DAYS
        text = ngettext(
            "We have e-mailed an invitation to %(email)s. Their access starts when they accept "
            "it; the link works once, for %(days)d day.",
            "We have e-mailed an invitation to %(email)s. Their access starts when they accept "
            "it; the link works once, for %(days)d days.",
            days,
        ) % {"email": grant.invite_email, "days": days}
    else:
        assert grant.proxy is not None
        text = _("%(name)s can now help with this patient's care. We have told them by e-mail.")
        text %= {"name": grant.proxy.display_name}
    messages.success(request, text)


@staff_required(GRANT_PERMISSION)
@require_http_methods(["GET", "POST"])
def patient_access_change(
    request: AuthenticatedRequest, patient_id: uuid.UUID, grant_id: uuid.UUID
) -> HttpResponse:
    """Change what a parent or guardian may see and do (a caregiver's is the patient's choice:
    a 404 here). Takes effect on their next page; audited by the service."""
    patient = _patient(request, patient_id)
    grant = selectors.get_patient_grant(patient=patient, grant_id=grant_id)
    if not staff_may_change_scopes(grant):
        raise Http404
    if not grant.is_open:
        return _already_ended(request, patient)
    data = request.POST if request.method == "POST" else None
    form = ChangeScopesForm(data, initial={"scopes": grant.scopes})
    if request.method == "POST" and form.is_valid() and _change(request, grant, form):
        messages.success(request, _("Saved. The change applies from their next page."))
        return _back_to_access(patient)
    _audit_view(request, patient, "proxy_grant", grant.pk)
    context = {"patient": patient, "row": selectors.grant_row(grant, patient), "form": form}
    return render(request, "staff/patient_access_change.html", context)


def _change(request: AuthenticatedRequest, grant: ProxyGrant, form: Form) -> bool:
    try:
        change_scopes(
            actor=request.user, grant=grant, scopes=form.cleaned_data["scopes"], request=request
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@staff_required(GRANT_PERMISSION)
@require_http_methods(["GET", "POST"])
def patient_access_end(
    request: AuthenticatedRequest, patient_id: uuid.UUID, grant_id: uuid.UUID
) -> HttpResponse:
    """Ask to confirm (GET), then end a parent's, guardian's or caregiver's access (POST).

    The service ends it at once, audits it, and tells both the proxy and the patient by e-mail.
    """
    patient = _patient(request, patient_id)
    grant = selectors.get_patient_grant(patient=patient, grant_id=grant_id)
    if not grant.is_open:
        return _already_ended(request, patient)
    if request.method == "POST":
        return _end(request, patient, grant)
    _audit_view(request, patient, "proxy_grant", grant.pk)
    context = {"patient": patient, "row": selectors.grant_row(grant, patient)}
    return render(request, "staff/patient_access_end.html", context)


def _end(request: AuthenticatedRequest, patient: Patient, grant: ProxyGrant) -> HttpResponse:
    was_invited = grant.status == GrantStatus.INVITED
    try:
        revoke_grant(
            actor=request.user, grant=grant, reason=EndReason.REVOKED_BY_STAFF, request=request
        )
    except ValueError:
        # The service gives another reason when staff end their own access, or their own
        # caregiver's: that is done from their own account, not from the console.
        messages.error(request, _("You cannot end your own access, or your own caregiver's, here."))
        return _back_to_access(patient)
    if was_invited:
        messages.success(request, _("The invitation has been cancelled. Its link no longer works."))
    else:
        messages.success(request, _("Access ended. They and the patient have been told by e-mail."))
    return _back_to_access(patient)
