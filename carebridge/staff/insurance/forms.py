"""The front desk's answer to an insurance change: accept (with the copay from the card, when
it shows one) or decline with a note for the patient."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.billing.money import cents_from_decimal

ACCEPT, DECLINE = "accept", "decline"


class AcceptForm(forms.Form):
    copay = forms.DecimalField(
        label=_("Copay for a visit, in dollars (if the card shows one)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("10000"),
        decimal_places=2,
    )

    def copay_cents(self) -> int | None:
        copay = self.cleaned_data.get("copay")
        return None if copay is None else cents_from_decimal(copay)


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the patient: what is wrong and what to send instead"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a note for the patient saying why.")},
    )
