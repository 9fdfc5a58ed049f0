"""The forms for asking the clinic for a refill, a referral or a copy of records.

Each form's `details()` gives what `care_requests.submit_request` stores. The refill form offers
only the medicines the record shows as taken now, by their resource ids, and stores their
names: a value that is not one of them is refused (nothing is saved). A viewer who may not see
the record's medications types the names instead, so the list is never shown to them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.messaging.care_requests import NOTE_MAX_LENGTH
from carebridge.messaging.request_selectors import Medicine

SHORT_MAX_LENGTH = 200
# Typed medicine names: one a line, or separated by commas or semicolons.
NAME_SEPARATORS = re.compile(r"[\n,;]+")
RECORD_CHOICES = [
    ("whole", _("My whole record")),
    ("results", _("Test results")),
    ("visits", _("Visit notes")),
    ("immunizations", _("Immunizations")),
]


class TickBoxes(forms.CheckboxSelectMultiple):
    """Tick boxes whose field points at its first box, so the error summary's link lands on it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


def pharmacy_field() -> forms.CharField:
    return forms.CharField(
        label=_("Pharmacy"),
        max_length=SHORT_MAX_LENGTH,
        help_text=_("The name and town of the pharmacy that should get the prescription."),
        error_messages={"required": _("Say which pharmacy should get it.")},
    )


def note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Anything else the clinic should know (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RequestForm(forms.Form):
    def details(self) -> dict[str, Any]:
        """What the service stores, from the cleaned fields."""
        return dict(self.cleaned_data)


class RefillForm(RequestForm):
    medicines = forms.MultipleChoiceField(
        label=_("Which medicines do you need more of?"),
        widget=TickBoxes,
        error_messages={
            "required": _("Choose at least one medicine to refill."),
            "invalid_choice": _("Choose only medicines from the list."),
        },
    )
    pharmacy = pharmacy_field()
    note = note_field()

    def __init__(self, *args: Any, medicines: Sequence[Medicine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = {medicine.value: medicine.name for medicine in medicines}
        field = self.fields["medicines"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(medicine.value, medicine.name) for medicine in medicines]

    def details(self) -> dict[str, Any]:
        # In the list's order (by name), however the browser sent them.
        chosen = set(self.cleaned_data["medicines"])
        names = [name for value, name in self.names.items() if value in chosen]
        return super().details() | {"medicines": names}


class TypedRefillForm(RequestForm):
    """For a viewer who may not see the record's medications: the names are typed."""

    medicines = forms.CharField(
        label=_("Which medicines do you need more of?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write each medicine on its own line, with its strength if you know it."),
        error_messages={"required": _("Write at least one medicine to refill.")},
    )
    pharmacy = pharmacy_field()
    note = note_field()

    def clean_medicines(self) -> list[str]:
        typed = NAME_SEPARATORS.split(self.cleaned_data["medicines"])
        names = [name.strip() for name in typed if name.strip()]
        if not names:
            raise forms.ValidationError(_("Write at least one medicine to refill."))
        return names


class ReferralForm(RequestForm):
    specialty = forms.CharField(
        label=_("What kind of specialist do you need to see?"),
        max_length=SHORT_MAX_LENGTH,
        help_text=_("For example a heart doctor (cardiologist) or a skin doctor (dermatologist)."),
        error_messages={"required": _("Say what kind of specialist you need.")},
    )
    reason = forms.CharField(
        label=_("Why do you need to see them?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why you need to see a specialist.")},
    )
    note = note_field()


class RecordsForm(RequestForm):
    records = forms.MultipleChoiceField(
        label=_("Which records do you need?"),
        choices=RECORD_CHOICES,
        required=False,
        widget=TickBoxes,
        error_messages={"invalid_choice": _("Choose only records from the list.")},
    )
    other = forms.CharField(
        label=_("Other records (optional)"),
        required=False,
        max_length=SHORT_MAX_LENGTH,
        help_text=_("For example “the X-ray of my knee from 2023”."),
    )
    send_to = forms.CharField(
        label=_("Where should they be sent? (optional)"),
        required=False,
        max_length=SHORT_MAX_LENGTH,
        help_text=_("For example the name and address of another doctor or clinic."),
    )
    note = note_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Only when both were read without error: a refused choice already says what is wrong.
        if cleaned.keys() >= {"records", "other"} and not (cleaned["records"] or cleaned["other"]):
            self.add_error("records", _("Say which records you need."))
        return cleaned

    def details(self) -> dict[str, Any]:
        """The records in words, as one line ("Test results, Immunizations, X-ray of my knee")."""
        labels = dict(RECORD_CHOICES)
        wanted = [str(labels[value]) for value in self.cleaned_data["records"]]
        wanted += [self.cleaned_data["other"]] if self.cleaned_data["other"] else []
        return {
            "records": ", ".join(wanted),
            "send_to": self.cleaned_data["send_to"],
            "note": self.cleaned_data["note"],
        }
