"""The billing console's forms: amounts typed as dollars and cents, read exactly."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carebridge.billing.models import Method
from carebridge.billing.money import cents_from_decimal
from carebridge.billing.services.charges import MAX_CENTS
from carebridge.core.forms import BoundedDateField

DESK_METHODS = [
    (Method.CASH, _("Cash")),
    (Method.CHECK, _("Check")),
    (Method.CARD_TERMINAL, _("Card, on the clinic's card machine")),
]


class AmountField(forms.DecimalField):
    """Dollars and cents ("25", "25.00"), cleaned to whole cents, from $0.01 to $1,000,000."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Amount in dollars"))
        super().__init__(
            max_digits=9,
            decimal_places=2,
            min_value=Decimal("0.01"),
            max_value=Decimal(MAX_CENTS) / 100,
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})

    def clean(self, value: Any) -> int:
        return cents_from_decimal(super().clean(value))


class ReasonField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Reason (the patient sees it)"))
        super().__init__(max_length=255, **kwargs)


class ManualChargeForm(forms.Form):
    service_date = BoundedDateField(label=_("Date of service"))
    description = forms.CharField(label=_("What it was for"), max_length=255)
    amount = AmountField()
    clinician = forms.CharField(label=_("Clinician (if any)"), max_length=200, required=False)

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_service_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["service_date"]
        if day > self.today:
            raise ValidationError(_("The date of service cannot be in the future."))
        return day


class DeskPaymentForm(forms.Form):
    amount = AmountField()
    method = forms.ChoiceField(
        label=_("How they paid"), choices=DESK_METHODS, widget=forms.RadioSelect
    )
    reference = forms.CharField(
        label=_("Check number or card machine reference"),
        help_text=_("Needed for a check or a card; leave empty for cash."),
        max_length=100,
        required=False,
    )
    # One per form shown, so pressing Save twice records one payment.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        method, reference = cleaned.get("method"), (cleaned.get("reference") or "").strip()
        if method in (Method.CHECK, Method.CARD_TERMINAL) and not reference:
            self.add_error("reference", _("Enter the check number or the card machine reference."))
        cleaned["reference"] = reference if method != Method.CASH else ""
        return cleaned


class AdjustmentForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Change"),
        choices=[("off", _("Take off the balance")), ("on", _("Add to the balance"))],
        widget=forms.RadioSelect,
        initial="off",
    )
    amount = AmountField()
    reason = ReasonField()

    def signed_cents(self) -> int:
        cents: int = self.cleaned_data["amount"]
        return -cents if self.cleaned_data["direction"] == "off" else cents


class RefundForm(forms.Form):
    amount = AmountField()
    reason = ReasonField()


class ReconciliationForm(forms.Form):
    date = BoundedDateField(label=_("Day"))
