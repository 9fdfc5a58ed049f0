"""The clinic console: the landing page, the patient list and activation codes.

Views are thin: the decorator checks the role, a selector fetches within the staff member's
own clinic, and services do the writes (and their audit).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.accounts.eligibility import is_old_enough_for_own_account, too_young_words
from carebridge.accounts.services import issue_activation_code
from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event, record_list_view
from carebridge.clinic.models import StaffMember
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.staff import inbox_selectors, patient_search, selectors
from carebridge.staff.access import staff_required

PATIENTS_PER_PAGE = 25


def _staff(request: AuthenticatedRequest) -> StaffMember:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff


def _console_links(request: AuthenticatedRequest) -> list[dict[str, str]]:
    user = request.user
    links = [{"label": _("Patients"), "url": reverse("staff:patient-list")}]
    if user.has_perm("clinic.release_results"):
        links.append(
            {"label": _("Results waiting for review"), "url": reverse("staff:held-results")}
        )
    if user.has_perm("clinic.import_records"):
        links.append({"label": _("Import health records"), "url": reverse("staff:import-upload")})
    if user.has_perm("clinic.review_patient_matches"):
        links.append(
            {"label": _("Uncertain patient matches"), "url": reverse("staff:match-review-list")}
        )
    if user.has_perm("billing.review_insurance"):
        links.append(
            {
                "label": _("Insurance changes to check"),
                "url": reverse("staff:insurance-review-list"),
            }
        )
        links.append(
            {"label": _("Address changes to check"), "url": reverse("staff:details-review-list")}
        )
    if user.has_perm("clinic.manage_clinic"):
        links.append({"label": _("Clinic set-up"), "url": reverse("staff:setup")})
        links.append(
            {"label": _("Result release settings"), "url": reverse("staff:release-settings")}
        )
    if user.has_perm("clinic.manage_clinic"):
        links.append({"label": _("Message settings"), "url": reverse("staff:message-settings")})
        links.append({"label": _("Undelivered e-mails"), "url": reverse("staff:notices")})
    if user.has_perm("billing.manage_billing"):
        links.append({"label": _("Billing"), "url": reverse("staff:billing-balances")})
    if user.has_perm("clinic.view_audit_report"):
        links.append({"label": _("Audit report"), "url": reverse("staff:audit-report")})
    # Django's admin is not scoped to one clinic, so only the deployment's own administrators
    # (is_staff) get it; clinic administrators use the set-up pages instead.
    if user.is_staff and user.has_perm("clinic.manage_clinic"):
        links.append({"label": _("Clinic administration"), "url": reverse("admin:index")})
    return links


@staff_required("use_staff_console")
def console(request: AuthenticatedRequest) -> HttpResponse:
    staff = _staff(request)
    context = {
        "clinic": staff.clinic,
        "staff": staff,
        "links": _console_links(request),
        "unread_messages": inbox_selectors.count_member_unread(staff, request.user.pk),
        "answers_requests": bool(inbox_selectors.kinds_answered_by(staff)),
        "open_requests": inbox_selectors.count_open_requests(staff),
    }
    return render(request, "staff/console.html", context)


@staff_required("use_staff_console")
@require_http_methods(["GET", "HEAD", "POST"])
def patient_list(request: AuthenticatedRequest) -> HttpResponse:
    """Search the clinic's patients; the words are posted and kept in the session, never put
    in the address (see `patient_search`).

    Audit rule: one view of "patient_list" for each patient the page shows (bulk inserts).
    """
    if request.method == "POST":
        patient_search.remember_search(request, "patient-list")
        return redirect("staff:patient-list")
    text = patient_search.remembered_search(request, "patient-list")
    patients = selectors.list_clinic_patients(clinic=_staff(request).clinic, text=text)
    page = Paginator(patients, PATIENTS_PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(
        actor=request.user, patients=page.object_list, object_type="patient_list", request=request
    )
    context = {
        "form": patient_search.search_form(text),
        "search_text": text,
        "page": page,
        "can_invite": request.user.has_perm("clinic.invite_patient"),
    }
    return render(request, "staff/patient_list.html", context)


@staff_required("invite_patient")
@require_http_methods(["GET", "POST"])
def patient_invite(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Issue a patient's activation code. The code is shown once, in this response only.

    It never goes into a URL, a redirect, a log or the audit trail; the page is not cached.
    """
    patient = selectors.get_invitable_patient(clinic=_staff(request).clinic, patient_id=patient_id)
    context: dict[str, Any] = {"patient": patient, "clinic": patient.clinic}
    if not is_old_enough_for_own_account(patient):
        # No button: the page says why this child cannot have an account of their own.
        context["too_young"] = too_young_words(patient)
    elif request.method == "POST":
        context |= _issue_code(request, patient)
    else:
        # Audit rule: the page shows the patient's name; issuing a code is audited by the service.
        record_event(
            actor=request.user,
            action=AuditAction.VIEW,
            object_type="patient_invite",
            patient=patient,
            acting_as="staff",
            request=request,
        )
    response = render(request, "staff/patient_invite.html", context)
    add_never_cache_headers(response)
    return response


def _issue_code(request: AuthenticatedRequest, patient: Patient) -> dict[str, Any]:
    try:
        code = issue_activation_code(actor=request.user, patient=patient, request=request)
    except ValidationError as error:
        # The patient enrolled between the page loading and the button being pressed.
        raise Http404 from error
    return {
        "code": code,
        "expires_on": selectors.get_activation_expiry(patient=patient),
        "enrol_url": request.build_absolute_uri(reverse("accounts:enrol")),
    }
