"""The billing office's pages: patients with balances, a patient's account and its actions.

Views are thin: `staff_required` checks the role (404 for anyone else), a selector finds the
patient or payment within the staff member's own clinic (404 for another clinic's), services
write (and audit), and every page showing a patient records a view of that patient.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.audit.services import record_list_view, record_view
from carebridge.billing.models import Method
from carebridge.billing.money import format_cents
from carebridge.billing.services import desk as services
from carebridge.billing.services.charges import post_adjustment, post_manual_charge
from carebridge.billing.services.refunds import refund_payment
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.staff.access import staff_required
from carebridge.staff.billing import forms as billing_forms
from carebridge.staff.billing import selectors
from carebridge.staff.billing.common import clinic_of, clinic_today
from carebridge.staff.billing.selectors import FILTERS

PERMISSION = "billing.manage_billing"
ACCOUNTS_PER_PAGE = 25


def _audit_view(request: AuthenticatedRequest, patient: Patient, object_type: str) -> None:
    record_view(request, patient, object_type=object_type)


def _patient(request: AuthenticatedRequest, patient_id: uuid.UUID) -> Patient:
    return selectors.get_clinic_patient(clinic=clinic_of(request), patient_id=patient_id)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD"])
def balances(request: AuthenticatedRequest) -> HttpResponse:
    """Patients owing something, filtered to overdue, on a plan or a failed payment.

    Audit rule: one view of "billing_balances" for each patient the page shows (bulk inserts).
    """
    show = request.GET.get("show", "")
    show = show if show in FILTERS else ""
    clinic = clinic_of(request)
    actor = Actor.from_request(request)
    accounts = selectors.list_balances(
        clinic=clinic, today=clinic_today(clinic), now=actor.now, show=show
    )
    page = Paginator(accounts, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(
        actor=request.user,
        patients=[account.patient for account in page.object_list],
        object_type="billing_balances",
        request=request,
    )
    return render(request, "staff/billing/balances.html", {"page": page, "show": show})


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD"])
def account(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """One patient's money: the ledger, charges, statements, payments, plan and insurance.
    Audit rule: a view of "billing_account" for the patient."""
    patient = _patient(request, patient_id)
    _audit_view(request, patient, "billing_account")
    context = {
        "patient": patient,
        "account": selectors.get_account(patient),
        "plan_url": _plan_url(patient),
    }
    return render(request, "staff/billing/account.html", context)


def _plan_url(patient: Patient) -> str:
    """The payment-plan page of the billing office, when this deployment has it."""
    try:
        return reverse("staff:billing-plan", args=[patient.pk])
    except NoReverseMatch:
        return ""


def _action(
    request: AuthenticatedRequest,
    patient: Patient,
    form: forms.Form,
    do: Callable[[], str],
    template: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show an action's form (a view of the patient, audited) or do it and go back to the
    account (the service audits the change); a refusal from the service is shown on the form
    and changes nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            done = do()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("staff:billing-account", patient.pk)
    # The form shows the patient again (first time, or with its errors): a view of them.
    _audit_view(request, patient, "billing_account")
    return render(request, template, {"patient": patient, "form": form, **(extra or {})})


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def post_charge(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Post a charge by hand. Audit: the service's "billing_charge"."""
    patient = _patient(request, patient_id)
    data = request.POST if request.method == "POST" else None
    form = billing_forms.ManualChargeForm(data, today=clinic_today(patient.clinic))

    def do() -> str:
        values = form.cleaned_data
        post_manual_charge(
            actor=Actor.from_request(request),
            patient=patient,
            service_date=values["service_date"],
            description=values["description"],
            amount_cents=values["amount"],
            clinician=values["clinician"],
        )
        return _("Charge of %(amount)s posted.") % {"amount": format_cents(values["amount"])}

    return _action(request, patient, form, do, "staff/billing/charge.html")


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def desk_payment(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Record a payment taken at the desk; the receipt is e-mailed. Audit: "billing_payment"."""
    patient = _patient(request, patient_id)
    form = billing_forms.DeskPaymentForm(request.POST if request.method == "POST" else None)

    def do() -> str:
        values = form.cleaned_data
        payment = services.take_desk_payment(
            actor=Actor.from_request(request),
            patient=patient,
            amount_cents=values["amount"],
            method=Method(values["method"]),
            reference=values["reference"],
            idempotency_key=values["idempotency_key"],
        )
        return _("Payment of %(amount)s recorded. Receipt number %(number)s.") % {
            "amount": format_cents(payment.amount_cents),
            "number": payment.receipt_number,
        }

    balance = selectors.get_balance(patient)
    return _action(
        request, patient, form, do, "staff/billing/payment.html", {"balance_cents": balance}
    )


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def adjust(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Change the balance with a reason the patient sees. Audit: "billing_adjustment"."""
    patient = _patient(request, patient_id)
    form = billing_forms.AdjustmentForm(request.POST if request.method == "POST" else None)

    def do() -> str:
        post_adjustment(
            actor=Actor.from_request(request),
            patient=patient,
            amount_cents=form.signed_cents(),
            reason=form.cleaned_data["reason"],
        )
        return _("Balance adjusted by %(amount)s.") % {"amount": format_cents(form.signed_cents())}

    balance = selectors.get_balance(patient)
    return _action(
        request, patient, form, do, "staff/billing/adjust.html", {"balance_cents": balance}
    )


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def refund(request: AuthenticatedRequest, payment_id: uuid.UUID) -> HttpResponse:
    """Give back part or all of a payment, with a reason. Audit: "billing_refund"."""
    payment = selectors.get_clinic_payment(clinic=clinic_of(request), payment_id=payment_id)
    form = billing_forms.RefundForm(request.POST if request.method == "POST" else None)

    def do() -> str:
        made = refund_payment(
            actor=Actor.from_request(request),
            payment=payment,
            amount_cents=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
        )
        return _("Refund of %(amount)s recorded.") % {"amount": format_cents(made.amount_cents)}

    extra = {"payment": payment, "refundable_cents": selectors.get_refundable(payment)}
    return _action(request, payment.patient, form, do, "staff/billing/refund.html", extra)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def send_statement(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Send a statement of what is not yet on one; the patient is told to sign in. Audit:
    "billing_statement" created."""
    patient = _patient(request, patient_id)
    form = forms.Form(request.POST if request.method == "POST" else None)

    def do() -> str:
        statement = services.send_statement(actor=Actor.from_request(request), patient=patient)
        if statement is None:
            raise ValidationError(_("Nothing new is owed: there is nothing to put on a statement."))
        return _("Statement %(number)s sent for %(amount)s.") % {
            "number": statement.display_number,
            "amount": format_cents(statement.amount_cents),
        }

    unbilled = selectors.get_account(patient).unbilled_cents
    return _action(
        request, patient, form, do, "staff/billing/statement.html", {"unbilled_cents": unbilled}
    )
