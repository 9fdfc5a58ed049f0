"""My details: the patient's phone and address, e-mail (allauth's page), emergency contacts and
preferred pharmacy, kept up to date at any time.

Thin views: `patients.access` finds the patient the viewer may use (or 404s) and audits;
`patients.services.details` checks again, saves and audits. A posted form with an error shows
the page again with the error and saves nothing. Saving or confirming the details counts as the
checklist's "Check your contact details" step for a patient acting for themself.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carebridge.accounts.checklist_selectors import DETAILS
from carebridge.accounts.checklist_services import mark_step_done
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.access import access_details, access_emergency_contact, details_patient
from carebridge.patients.forms import ContactForm, EmergencyContactForm, PharmacyForm
from carebridge.patients.models import Patient
from carebridge.patients.selectors import get_details_page
from carebridge.patients.services import details as services
from carebridge.patients.services.details import Address

CONTACT, EMERGENCY, PHARMACY = "contact", "emergency", "pharmacy"


def _contact_initial(patient: Patient) -> dict[str, str]:
    return {"phone": patient.phone} | asdict(Address.of(patient))


def _page(request: AuthenticatedRequest, patient: Patient, **bound: Form) -> HttpResponse:
    """The page, with any bound form that had an error in place of its empty one."""
    shown = get_details_page(patient)
    pharmacy = shown.pharmacy
    pharmacy_initial = (
        {"name": pharmacy.name, "address": pharmacy.address, "phone": pharmacy.phone}
        if pharmacy
        else {}
    )
    context: dict[str, Any] = {
        "patient": patient,
        "shown": shown,
        "contact_form": ContactForm(prefix=CONTACT, initial=_contact_initial(patient)),
        "emergency_form": EmergencyContactForm(prefix=EMERGENCY),
        "pharmacy_form": PharmacyForm(prefix=PHARMACY, initial=pharmacy_initial),
        "may_add_contact": len(shown.contacts) < services.MOST_EMERGENCY_CONTACTS,
    }
    context.update(bound)
    return render(request, "patients/details.html", context, status=200)


def _count_checklist_step(request: AuthenticatedRequest) -> None:
    if request.acting.is_self:
        mark_step_done(user=request.user, step=DETAILS)


@login_required
@require_safe
def details(request: AuthenticatedRequest) -> HttpResponse:
    return _page(request, access_details(request))


@login_required
@require_POST
def details_contact(request: AuthenticatedRequest) -> HttpResponse:
    """Save the phone (at once) and send a new address to the front desk."""
    patient = details_patient(request)
    form = ContactForm(request.POST, prefix=CONTACT)
    if not form.is_valid():
        return _page(request, patient, contact_form=form)
    try:
        outcome = services.save_contact_details(
            actor=Actor.from_request(request),
            patient=patient,
            phone=form.cleaned_data["phone"],
            address=form.address(),
        )
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return _page(request, patient, contact_form=form)
    _count_checklist_step(request)
    if outcome.address_sent:
        messages.success(
            request,
            _("Your details are saved. The new address waits for the clinic to accept it."),
        )
    else:
        messages.success(request, _("Your details are saved."))
    return redirect("patients:details")


@login_required
@require_POST
def details_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """ "These are right": nothing changes; the checklist counts the details as checked."""
    details_patient(request)
    _count_checklist_step(request)
    messages.success(request, _("Thank you for checking your details."))
    return redirect("patients:details")


@login_required
@require_POST
def contact_add(request: AuthenticatedRequest) -> HttpResponse:
    patient = details_patient(request)
    form = EmergencyContactForm(request.POST, prefix=EMERGENCY)
    if form.is_valid():
        try:
            services.add_emergency_contact(
                actor=Actor.from_request(request), patient=patient, **form.cleaned_data
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The emergency contact is added."))
            return redirect("patients:details")
    return _page(request, patient, emergency_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_edit(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    contact = access_emergency_contact(request, contact_id)
    initial = {"name": contact.name, "relationship": contact.relationship, "phone": contact.phone}
    data = request.POST if request.method == "POST" else None
    form = EmergencyContactForm(data, prefix=EMERGENCY, initial=initial)
    if form.is_bound and form.is_valid():
        services.change_emergency_contact(
            actor=Actor.from_request(request), contact=contact, **form.cleaned_data
        )
        messages.success(request, _("The emergency contact is changed."))
        return redirect("patients:details")
    return render(request, "patients/contact_edit.html", {"form": form, "contact": contact})


@login_required
@require_POST
def contact_remove(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    contact = access_emergency_contact(request, contact_id)
    services.remove_emergency_contact(actor=Actor.from_request(request), contact=contact)
    messages.success(request, _("The emergency contact is removed."))
    return redirect("patients:details")


@login_required
@require_POST
def pharmacy(request: AuthenticatedRequest) -> HttpResponse:
    patient = details_patient(request)
    form = PharmacyForm(request.POST, prefix=PHARMACY)
    if not form.is_valid():
        return _page(request, patient, pharmacy_form=form)
    services.save_preferred_pharmacy(
        actor=Actor.from_request(request), patient=patient, **form.cleaned_data
    )
    messages.success(request, _("Your pharmacy is saved. Refill requests will go there."))
    return redirect("patients:details")


@login_required
@require_POST
def pharmacy_remove(request: AuthenticatedRequest) -> HttpResponse:
    patient = details_patient(request)
    services.remove_preferred_pharmacy(actor=Actor.from_request(request), patient=patient)
    messages.success(request, _("Your pharmacy is removed."))
    return redirect("patients:details")
