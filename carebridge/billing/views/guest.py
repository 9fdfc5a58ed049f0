"""Guest pay: paying one statement without an account.

The guest's right to the statement (found with its number and the patient's date of birth or
ZIP code) and their payments are kept in the session, never in the address. They see only the
amount due on that statement and the clinic's name; afterwards, only the amount, date, receipt
number and clinic of their own payment.
"""

from __future__ import annotations

import re
import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.billing.forms.pay_forms import KEY_PATTERN, GuestFindForm, GuestPayForm
from carebridge.billing.models import PayerKind, Payment, Statement
from carebridge.billing.services.checkout import payable_cents, start_payment
from carebridge.billing.services.guest import find_guest_statement, is_guest_pay_on
from carebridge.billing.services.ledger import statement_balances
from carebridge.billing.views.paying import absolute_return_urls, cancel_pending, new_key
from carebridge.core.actor import Actor
from carebridge.core.http import client_ip

SESSION_KEY = "billing_guest"


def not_found_words() -> str:
    return _(
        "We could not find a bill to pay with these details. Check the statement number and "
        "the date of birth or ZIP code, or call the clinic."
    )


def _guest_actor(request: HttpRequest) -> Actor:
    return Actor(user=None, acting_as="guest", request=request)


def _kept(request: HttpRequest) -> dict[str, object]:
    kept: dict[str, object] = request.session.get(SESSION_KEY) or {}
    return kept


def _kept_statement(request: HttpRequest) -> Statement | None:
    statement_id = str(_kept(request).get("statement") or "")
    if not statement_id:
        return None
    statement = Statement.objects.filter(pk=statement_id).select_related("clinic", "patient")
    found = statement.first()
    return found if found is not None and is_guest_pay_on(found) else None


@require_http_methods(["GET", "HEAD", "POST"])
def guest_pay(request: HttpRequest) -> HttpResponse:
    step = request.POST.get("step", "")
    if step == "forget":
        request.session.pop(SESSION_KEY, None)
        return redirect("billing:guest-pay")
    statement = _kept_statement(request)
    if statement is None or step == "find":
        return _find(request)
    return _pay(request, statement)


def _find(request: HttpRequest) -> HttpResponse:
    form = GuestFindForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        statement = find_guest_statement(
            device=client_ip(request),
            number=form.cleaned_data["number"],
            birth_date=form.typed_birth_date(),
            postal_code=form.cleaned_data["postal_code"] or "",
        )
        if statement is not None:
            _remember(request, statement)
            return redirect("billing:guest-pay")
        form.add_error(None, not_found_words())
    return render(request, "billing/guest_find.html", {"form": form})


def _remember(request: HttpRequest, statement: Statement) -> None:
    """Keep the guest's right to the statement; audit it as a view by a guest."""
    request.session[SESSION_KEY] = {"statement": str(statement.pk), "payments": []}
    record_event(
        actor=None,
        action=AuditAction.VIEW,
        object_type="billing_statement",
        object_id=statement.pk,
        patient=statement.patient,
        acting_as="guest",
        request=request,
    )


def _pay(request: HttpRequest, statement: Statement) -> HttpResponse:
    actor = _guest_actor(request)
    form = GuestPayForm(request.POST if request.method == "POST" else None)
    key = request.POST.get("key", "") if request.method == "POST" else new_key()
    if not re.fullmatch(KEY_PATTERN, key):
        key = new_key()
    elif form.is_valid():
        try:
            started = start_payment(
                actor=actor,
                patient=statement.patient,
                amount_cents=form.cleaned_data["amount"],
                statement=statement,
                idempotency_key=key,
                payer_kind=PayerKind.GUEST,
                receipt_email=form.cleaned_data["email"],
                return_urls=absolute_return_urls(request),  # type: ignore[arg-type]
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
            key = new_key()
        else:
            _keep_payment(request, started.payment)
            return redirect(started.redirect_url)
    context = {
        "form": form,
        "key": key,
        "clinic": statement.clinic,
        "due": max(statement_balances(statement.patient).get(statement.pk, 0), 0),
        "most": payable_cents(statement.patient, statement=statement, now=actor.now),
    }
    return render(request, "billing/guest_pay.html", context)


def _keep_payment(request: HttpRequest, payment: Payment) -> None:
    kept = _kept(request)
    payments = [str(pk) for pk in kept.get("payments", [])]  # type: ignore[attr-defined]
    request.session[SESSION_KEY] = kept | {"payments": [*payments, str(payment.pk)][-10:]}


def _guest_payment(request: HttpRequest, payment_id: uuid.UUID) -> Payment:
    """One of the payments this browser made as a guest; 404 for any other."""
    if str(payment_id) not in _kept(request).get("payments", []):  # type: ignore[operator]
        raise Http404
    payment = Payment.objects.filter(pk=payment_id, payer_kind=PayerKind.GUEST)
    found = payment.select_related("clinic").first()
    if found is None:
        raise Http404
    return found


@require_GET
def guest_payment_return(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    payment = _guest_payment(request, payment_id)
    context = {"payment": payment, "guest": True, "clinic": payment.clinic}
    return render(request, "billing/payment_return.html", context)


@require_GET
def guest_payment_cancelled(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    payment = _guest_payment(request, payment_id)
    cancel_pending(payment)
    context = {"payment": payment, "guest": True, "clinic": payment.clinic}
    return render(request, "billing/payment_cancelled.html", context)
