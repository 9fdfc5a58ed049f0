"""Each clinic's billing rules, set by its administrators."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Clinic


class BillingRules(models.Model):
    """How a clinic bills: when statements are due, what payment plans it allows, whether
    guest pay is on. A clinic without a row uses the defaults (see `selectors.rules.rules_for`)."""

    clinic = models.OneToOneField(
        Clinic, on_delete=models.CASCADE, primary_key=True, related_name="billing_rules"
    )
    statement_due_days = models.PositiveSmallIntegerField(_("days to pay a statement"), default=30)
    plan_min_balance_cents = models.PositiveIntegerField(
        _("smallest balance a plan may spread (cents)"), default=5000
    )
    plan_min_instalment_cents = models.PositiveIntegerField(
        _("smallest monthly payment (cents)"), default=2500
    )
    plan_max_months = models.PositiveSmallIntegerField(_("longest plan (months)"), default=12)
    plan_reminder_days = models.PositiveSmallIntegerField(
        _("days before an instalment is due to remind"), default=5
    )
    guest_pay_enabled = models.BooleanField(
        _("others may pay a statement as a guest"), default=True
    )

    def __str__(self) -> str:
        return f"billing rules of {self.clinic_id}"
