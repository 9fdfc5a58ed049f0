"""The forms of My details: phone and postal address, an emergency contact, the pharmacy.
What is typed here is personal information: POST only, never logged."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.patients.services.details import Address

# Digits with the usual separators; at least seven digits, so "n/a" or a name is refused.
_PHONE_CHARACTERS = re.compile(r"^[0-9+().\- ]*$")
_LEAST_DIGITS = 7


def clean_phone(value: str, *, required: bool) -> str:
    value = value.strip()
    if not value and not required:
        return ""
    digits = sum(character.isdigit() for character in value)
    if not _PHONE_CHARACTERS.match(value) or digits < _LEAST_DIGITS:
        raise forms.ValidationError(
            _("Enter a phone number with its area code, for example 555-201-3344."),
            code="phone",
        )
    return value


def phone_field(label: Any, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=40,
        required=required,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Enter a phone number.")},
    )


def text(label: Any, max_length: int, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kwargs)


class ContactForm(forms.Form):
    phone = phone_field(_("Phone number"), required=False)
    address_line = text(
        _("Street address"), 200, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    city = text(_("City or town"), 100)
    state = text(_("State"), 50)
    postal_code = text(
        _("ZIP code"), 20, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"], required=False)

    def address(self) -> Address:
        cleaned = self.cleaned_data
        return Address(
            address_line=cleaned["address_line"],
            city=cleaned["city"],
            state=cleaned["state"],
            postal_code=cleaned["postal_code"],
        )


class EmergencyContactForm(forms.Form):
    name = text(_("Name"), 120, required=True, error_messages={"required": _("Enter a name.")})
    relationship = text(
        _("Relationship to you"),
        60,
        required=True,
        help_text=_("For example: daughter, husband, neighbor."),
        error_messages={"required": _("Say how this person is related to you.")},
    )
    phone = phone_field(_("Phone number"), required=True)

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"], required=True)


class PharmacyForm(forms.Form):
    name = text(
        _("Pharmacy name"),
        120,
        required=True,
        error_messages={"required": _("Enter the name of the pharmacy.")},
    )
    address = text(
        _("Pharmacy address (optional)"),
        200,
        help_text=_("The street and town, so the clinic sends it to the right branch."),
    )
    phone = phone_field(_("Pharmacy phone (optional)"), required=False)

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"], required=False)
