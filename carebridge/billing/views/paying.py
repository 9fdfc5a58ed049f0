"""Paying online: the Pay form, and the pages the provider sends the payer back to.

Every page goes through `billing.access` (the billing scope; audited; 404 for anyone else).
A caregiver or parent with the scope pays as a proxy; the receipt goes to the payer's own
address. What is paid travels only in the POST body; the address holds only ids.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from carebridge.billing.access import access_billing, access_payment, access_statement
from carebridge.billing.forms.pay_forms import (
    OTHER,
    STATEMENT,
    WHOLE,
    PayForm,
    dollars_from_cents,
)
from carebridge.billing.models import PayerKind, Payment, PaymentStatus, Statement
from carebridge.billing.money import format_cents
from carebridge.billing.services.checkout import payable_cents, start_payment
from carebridge.billing.services.payments import fail_payment
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest, PortalRequest

CANCELLED_REASON = "cancelled by the payer"


def new_key() -> str:
    """A Pay form's idempotency key: one per form shown, so a double-click is one payment."""
    return secrets.token_urlsafe(24)


def return_paths(payment: Payment) -> tuple[str, str]:
    """Where the provider sends the payer back: after paying (or being declined), and after
    cancelling. A guest's pages show only what a guest may see."""
    prefix = "billing:guest-payment" if payment.payer_kind == PayerKind.GUEST else "billing:payment"
    return (
        reverse(f"{prefix}-return", args=[payment.pk]),
        reverse(f"{prefix}-cancelled", args=[payment.pk]),
    )


def absolute_return_urls(request: PortalRequest) -> Any:
    def urls(payment: Payment) -> tuple[str, str]:
        success, cancel = return_paths(payment)
        return request.build_absolute_uri(success), request.build_absolute_uri(cancel)

    return urls


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pay(request: AuthenticatedRequest) -> HttpResponse:
    statement = _chosen_statement(request)
    patient = statement.patient if statement else access_billing(request, object_type="billing_pay")
    actor = Actor.from_request(request)
    most = payable_cents(patient, statement=statement, now=actor.now)
    form = PayForm(
        request.POST if request.method == "POST" else None,
        choices=_choices(statement, most),
        initial=_initial(request, statement),
    )
    if form.is_valid():
        choice = form.cleaned_data["choice"]
        amount = form.cleaned_data["amount"] if choice == OTHER else most
        try:
            started = start_payment(
                actor=actor,
                patient=patient,
                amount_cents=amount,
                statement=statement,
                idempotency_key=form.cleaned_data["key"],
                payer_kind=PayerKind.PROXY if request.acting.is_proxy else PayerKind.PATIENT,
                receipt_email=request.user.email,
                return_urls=absolute_return_urls(request),
            )
        except ValidationError as refusal:
            form = _refused(form, refusal)
        else:
            return redirect(started.redirect_url)
    context = {"form": form, "statement": statement, "most": most, "patient": patient}
    return render(request, "billing/pay.html", context)


def _chosen_statement(request: AuthenticatedRequest) -> Statement | None:
    raw = request.GET.get("statement", "")
    if not raw:
        return None
    try:
        statement_id = uuid.UUID(raw)
    except ValueError as error:
        raise Http404 from error
    return access_statement(request, statement_id)


def _choices(statement: Statement | None, most: int) -> list[tuple[str, str]]:
    amount = format_cents(most)
    whole = (
        (STATEMENT, _("This bill: %(amount)s") % {"amount": amount})
        if statement
        else (WHOLE, _("Everything you owe: %(amount)s") % {"amount": amount})
    )
    return [whole, (OTHER, _("Another amount"))]


def _initial(request: AuthenticatedRequest, statement: Statement | None) -> dict[str, str]:
    initial = {"key": new_key(), "choice": STATEMENT if statement else WHOLE}
    asked = request.GET.get("amount", "")
    if asked.isdigit() and 0 < int(asked) < 10**9:
        initial |= {"choice": OTHER, "amount": dollars_from_cents(int(asked))}
    return initial


def _refused(form: PayForm, refusal: ValidationError) -> PayForm:
    """The form again with the refusal, and a new key: the next try is a new payment."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["key"] = new_key()
    again = PayForm(data, choices=form.fields["choice"].choices, initial=form.initial)  # type: ignore[attr-defined]
    again.is_valid()
    again.add_error(None, refusal)
    return again


@login_required
@require_GET
def payment_return(request: AuthenticatedRequest, payment_id: uuid.UUID) -> HttpResponse:
    """Back from the provider: paid, still being confirmed (the webhook has not come yet), or
    not paid."""
    payment = access_payment(request, payment_id)
    return render(request, "billing/payment_return.html", {"payment": payment, "guest": False})


@login_required
@require_GET
def payment_cancelled(request: AuthenticatedRequest, payment_id: uuid.UUID) -> HttpResponse:
    """The payer left the provider's page: a pending payment is cancelled (no balance change)."""
    payment = access_payment(request, payment_id)
    cancel_pending(payment)
    return render(request, "billing/payment_cancelled.html", {"payment": payment, "guest": False})


def cancel_pending(payment: Payment) -> None:
    if payment.status == PaymentStatus.PENDING:
        fail_payment(payment_id=payment.pk, status=PaymentStatus.CANCELLED, reason=CANCELLED_REASON)
        payment.refresh_from_db()
