"""A payment's receipt: paid, not finished or declined, said plainly."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from carebridge.billing.access import access_payment
from carebridge.billing.selectors.receipts import get_receipt
from carebridge.billing.views.pages import render_billing
from carebridge.core.http import AuthenticatedRequest


@login_required
@require_safe
def receipt(request: AuthenticatedRequest, payment_id: uuid.UUID) -> HttpResponse:
    payment = access_payment(request, payment_id)
    context = {"receipt": get_receipt(payment)}
    return render_billing(request, payment.patient, "billing/receipt.html", context)
