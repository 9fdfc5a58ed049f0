"""The patient's side of requests from the record: the list, one request with its steps, the
chooser, and the refill, referral and records forms.

Views are thin: `messaging.access` finds the patient the viewer may act for (or 404s) and
audits the views; selectors read; `care_requests.submit_request` checks who may ask, stores and
audits. The refill form's list of medicines is a view of the record's medications: it is shown
(and audited, by `records.access`) only to a viewer who may see them. Times are in the clinic's
zone.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carebridge.core.http import AuthenticatedRequest
from carebridge.messaging import care_requests
from carebridge.messaging.access import (
    access_care_request,
    access_care_requests,
    messaging_patient,
)
from carebridge.messaging.models import RequestKind
from carebridge.messaging.request_forms import (
    RecordsForm,
    ReferralForm,
    RefillForm,
    RequestForm,
    TypedRefillForm,
)
from carebridge.messaging.request_selectors import (
    Medicine,
    get_request_page,
    last_pharmacy,
    list_current_medicines,
    list_requests,
)
from carebridge.messaging.views import add_refusal, render_in_zone
from carebridge.patients.models import Patient, PreferredPharmacy
from carebridge.patients.selectors import get_preferred_pharmacy
from carebridge.patients.services.details import ACCOUNT_SCOPE
from carebridge.records.access import access_record

# The part of the record (and the audit's object type) the refill form's list comes from.
MEDICATIONS = "medications"
FORM_METHODS = ["GET", "HEAD", "POST"]


@login_required
@require_safe
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_care_requests(request)
    hidden = request.acting.hides_patients_own_messages
    listing = list_requests(patient, request.GET.get("page"), hides_patients_own=hidden)
    return render_in_zone(request, "messaging/requests/list.html", {"listing": listing})


@login_required
@require_safe
def request_detail(request: AuthenticatedRequest, request_id: uuid.UUID) -> HttpResponse:
    care_request = access_care_request(request, request_id)
    shown = get_request_page(care_request, care_request.patient)
    context = {"shown": shown, "is_open": care_request.status in care_requests.OPEN_STATUSES}
    return render_in_zone(request, "messaging/requests/detail.html", context)


@login_required
@require_POST
def request_withdraw(request: AuthenticatedRequest, request_id: uuid.UUID) -> HttpResponse:
    """Withdraw a request the clinic has not answered yet; an answered one says so."""
    care_request = access_care_request(request, request_id)
    try:
        care_requests.withdraw_request(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            care_request=care_request,
            now=timezone.now(),
            request=request,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your request is withdrawn. The clinic will not answer it."))
    return redirect("messaging:request", care_request.pk)


@login_required
@require_safe
def request_new(request: AuthenticatedRequest) -> HttpResponse:
    messaging_patient(request)
    return render_in_zone(request, "messaging/requests/new.html", {})


@login_required
@require_http_methods(FORM_METHODS)
def request_refill(request: AuthenticatedRequest) -> HttpResponse:
    patient = messaging_patient(request)
    medicines = medicines_for(request)
    pharmacy = get_preferred_pharmacy(patient)
    form = refill_form(request, patient, medicines, pharmacy)
    context = {
        "form": form,
        "medicines": medicines,
        "preferred_pharmacy": pharmacy,
        # My details is open to the patient, and to a caregiver with the account scope.
        "may_change_pharmacy": request.acting.may(ACCOUNT_SCOPE),
    }
    return submit_if_valid(request, patient, RequestKind.REFILL, form) or render_in_zone(
        request, "messaging/requests/refill.html", context
    )


@login_required
@require_http_methods(FORM_METHODS)
def request_referral(request: AuthenticatedRequest) -> HttpResponse:
    return form_page(request, RequestKind.REFERRAL, ReferralForm, "referral.html")


@login_required
@require_http_methods(FORM_METHODS)
def request_records(request: AuthenticatedRequest) -> HttpResponse:
    return form_page(request, RequestKind.RECORDS, RecordsForm, "records.html")


def medicines_for(request: AuthenticatedRequest) -> list[Medicine] | None:
    """The medicines the record shows as taken now, as far as the viewer may see them (the
    view audited as one of the record's medications); None for a viewer who may not see the
    record's medications, who types the names instead."""
    if not request.acting.may_see_part(MEDICATIONS):
        return None
    scope = access_record(request, object_type=MEDICATIONS, part=MEDICATIONS)
    return list_current_medicines(scope)


def refill_form(
    request: AuthenticatedRequest,
    patient: Patient,
    medicines: list[Medicine] | None,
    pharmacy: PreferredPharmacy | None = None,
) -> RequestForm:
    if request.method == "POST":
        data, initial = request.POST, {}
    elif pharmacy is not None:
        # The pharmacy chosen on My details comes first.
        data, initial = None, {"pharmacy": pharmacy.label}
    else:
        # The pharmacy named last time, so that it need not be typed again.
        hidden = request.acting.hides_patients_own_messages
        data, initial = None, {"pharmacy": last_pharmacy(patient, hides_patients_own=hidden)}
    if medicines is None:
        return TypedRefillForm(data, initial=initial)
    return RefillForm(data, initial=initial, medicines=medicines)


def form_page(
    request: AuthenticatedRequest, kind: str, form_class: type[RequestForm], template: str
) -> HttpResponse:
    patient = messaging_patient(request)
    form = form_class(request.POST if request.method == "POST" else None)
    return submit_if_valid(request, patient, kind, form) or render_in_zone(
        request, f"messaging/requests/{template}", {"form": form}
    )


def submit_if_valid(
    request: AuthenticatedRequest, patient: Patient, kind: str, form: RequestForm
) -> HttpResponse | None:
    """Send a valid posted form's request and go to its page; None to show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        asked = care_requests.submit_request(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            patient=patient,
            kind=kind,
            details=form.details(),
            request=request,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        add_refusal(form, error)
        return None
    messages.success(request, _("Your request is sent."))
    return redirect("messaging:request", asked.pk)
