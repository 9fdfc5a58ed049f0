"""One statement: its visits in plain words, and the printable statement with its stub."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from carebridge.billing.access import access_statement
from carebridge.billing.models import BillingAccount
from carebridge.billing.selectors.statements import get_statement_detail
from carebridge.billing.views.pages import render_billing
from carebridge.clinic.models import Location
from carebridge.core.http import AuthenticatedRequest


@login_required
@require_safe
def statement(request: AuthenticatedRequest, statement_id: uuid.UUID) -> HttpResponse:
    found = access_statement(request, statement_id)
    context = {"detail": get_statement_detail(found), "today": timezone.localdate()}
    return render_billing(request, found.patient, "billing/statement.html", context)


@login_required
@require_safe
def statement_print(request: AuthenticatedRequest, statement_id: uuid.UUID) -> HttpResponse:
    """The statement on paper: the clinic's name, address and phone, the patient, the lines,
    and a stub to send back with a check."""
    found = access_statement(request, statement_id)
    context = {
        "detail": get_statement_detail(found),
        "location": Location.objects.filter(clinic_id=found.clinic_id).order_by("pk").first(),
        "account": BillingAccount.objects.filter(patient_id=found.patient_id).first(),
        # Someone without an account can pay this statement online with its number.
        "guest_pay_url": settings.CAREBRIDGE_BASE_URL + reverse("billing:guest-pay"),
    }
    return render_billing(request, found.patient, "billing/statement_print.html", context)
