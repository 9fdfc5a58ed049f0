"""The patient's payment plan: the active plan's schedule, or the plans the clinic's rules
allow and "Set up plan". Through `access_billing` (the billing scope), audited; everyone else
gets 404 and a refused request changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.billing.access import access_billing
from carebridge.billing.models import PaymentPlan
from carebridge.billing.plan_forms import PlanForm
from carebridge.billing.services.plans import (
    PLAN_OBJECT,
    active_plan,
    balance_of,
    create_plan,
    plan_choices,
)
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan(request: AuthenticatedRequest) -> HttpResponse:
    """The active plan's schedule; with none, the choices and the form that sets one up."""
    patient = access_billing(request, object_type=PLAN_OBJECT)
    actor = Actor.from_request(request)
    current = active_plan(patient)
    if current is not None:
        return render(request, "billing/plan.html", schedule_context(current))
    context, is_set_up = set_up_plan(request, actor, patient)
    if is_set_up:
        messages.success(request, _("Your payment plan is set up."))
        return redirect("billing:plan")
    return render(request, "billing/plan.html", context)


def set_up_plan(
    request: AuthenticatedRequest, actor: Actor, patient: Patient
) -> tuple[dict[str, Any], bool]:
    """The plans the rules allow, and the one posted set up: (the page's context, whether a
    plan was set up). Shared with the billing office's page."""
    choices = plan_choices(patient, actor.today)
    form = PlanForm(request.POST if request.method == "POST" else None, choices=choices)
    if form.is_valid():
        try:
            create_plan(actor=actor, patient=patient, months=form.cleaned_data["months"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            return {}, True
    return {"form": form, "choices": choices, "balance_cents": balance_of(patient)}, False


def schedule_context(current: PaymentPlan) -> dict[str, Any]:
    """The plan, its instalments, and the amount of the earliest one not paid yet."""
    instalments = list(current.instalments.all())
    next_due = next((item for item in instalments if item.left_cents), None)
    pay_url = ""
    if next_due is not None:
        pay_url = f"{reverse('billing:pay')}?amount={next_due.left_cents}"
    return {
        "plan": current,
        "instalments": instalments,
        "next_due": next_due,
        "pay_url": pay_url,
        "left_cents": sum(item.left_cents for item in instalments),
    }
