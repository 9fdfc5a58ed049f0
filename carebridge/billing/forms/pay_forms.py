"""Forms for paying: the Pay form, guest pay's two steps, and the test provider's card page.

Amounts are typed in dollars ("25", "25.50", "$1,025.50") and read to whole cents exactly;
anything else (letters, three decimals, a minus sign, huge numbers) is a plain field error.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms import BoundedDateField
from carebridge.scheduling.forms import FirstRadioSelect

# At most $9,999,999.99: a dollar amount with up to two decimals, commas allowed.
_AMOUNT = re.compile(r"^\$?(\d{1,3}(,\d{3}){0,2}|\d{1,7})(\.\d{1,2})?$")
KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"

WHOLE, STATEMENT, OTHER = "whole", "statement", "other"


def cents_from_typed(text: str) -> int | None:
    """Whole cents from a typed dollar amount, or None when it is not one."""
    value = text.strip().replace(" ", "")
    if not _AMOUNT.match(value):
        return None
    dollars, _dot, cents = value.lstrip("$").replace(",", "").partition(".")
    return int(dollars) * 100 + int((cents + "00")[:2])


def dollars_from_cents(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class AmountField(forms.CharField):
    """A dollar amount, cleaned to whole cents (an int)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        cents = cents_from_typed(text)
        if cents is None or cents <= 0:
            raise forms.ValidationError(_("Enter an amount in dollars and cents, such as 25.00."))
        return cents


class PayForm(forms.Form):
    """What to pay: the whole balance, the statement chosen, or another amount."""

    choice = forms.ChoiceField(
        label=_("How much do you want to pay?"),
        widget=FirstRadioSelect,
        error_messages={"required": _("Choose how much to pay.")},
    )
    amount = AmountField(
        label=_("Other amount, in dollars"),
        required=False,
        help_text=_("For example 25.00"),
    )
    key = forms.RegexField(regex=KEY_PATTERN, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("choice") == OTHER
            and not cleaned.get("amount")
            and "amount" not in self.errors
        ):
            self.add_error("amount", _("Enter the amount you want to pay."))
        return cleaned


class GuestFindForm(forms.Form):
    """The statement's number and one detail only the family knows."""

    number = forms.CharField(
        label=_("Statement number"),
        help_text=_("It is at the top of the paper bill, for example 1234-5678-90."),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = BoundedDateField(
        label=_("The patient's date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d"),
    )
    postal_code = forms.CharField(
        label=_("Or the patient's ZIP code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_number(self) -> str:
        return re.sub(r"[\s-]", "", self.cleaned_data["number"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_detail = cleaned.get("birth_date") or (cleaned.get("postal_code") or "").strip()
        if not has_detail and "birth_date" not in self.errors:
            self.add_error("birth_date", _("Enter the patient's date of birth or their ZIP code."))
        return cleaned

    def typed_birth_date(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("birth_date")
        return value


class GuestPayForm(forms.Form):
    amount = AmountField(label=_("Amount to pay, in dollars"), help_text=_("For example 25.00"))
    email = forms.EmailField(
        label=_("Your e-mail address, for the receipt"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class TestCardForm(forms.Form):
    card_number = forms.CharField(
        label=_("Test card number"),
        help_text=_("4242 4242 4242 4242 pays. 4000 0000 0000 0002 is declined."),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_card_number(self) -> str:
        return re.sub(r"[\s-]", "", self.cleaned_data["card_number"])
