"""The online check-in form: contact details, insurance, allergies and medicines, the visit's
questions. Everything typed here is health or personal information: POST only, never logged."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.scheduling.forms import FirstRadioSelect
from carebridge.scheduling.services.checkin import CONTACT_FIELDS, CheckInData, ContactDetails

RIGHT = "right"
CHANGED = "changed"
REVIEW_CHOICES = [(RIGHT, _("This list is right")), (CHANGED, _("Something has changed"))]
CHANGES_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 1000
# The parts of the record the form asks about, and the names of their fields.
REVIEWED_PARTS = {"allergies": "allergy_changes", "medications": "medication_changes"}


def text(label: Any, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


def review_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=REVIEW_CHOICES,
        widget=FirstRadioSelect,
        error_messages={"required": _("Choose whether the list is right.")},
    )


def changes_field(help_text: Any) -> forms.CharField:
    return text(
        _("What has changed?"),
        CHANGES_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInForm(forms.Form):
    """One page of check-in. The allergy and medicine questions are left out for a viewer who
    may not see those parts of the record; the visit's questions are added as `answer_<n>`."""

    phone = text(
        _("Phone number"), 40, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    address_line = text(
        _("Street address"), 200, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    city = text(_("City or town"), 100)
    state = text(_("State"), 50)
    postal_code = text(
        _("ZIP code"), 20, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    contact_confirmed = forms.BooleanField(
        label=_("These are right"),
        error_messages={"required": _("Tick “These are right” once the details are correct.")},
    )
    insurance_payer = text(_("Insurance company"), 120)
    insurance_member_id = text(_("Member ID"), 60, help_text=_("It is on the insurance card."))
    insurance_group = text(_("Group number (if the card has one)"), 60)
    self_pay = forms.BooleanField(
        label=_("I do not have insurance / I will pay myself"), required=False
    )
    allergies = review_field(_("Are these allergies right?"))
    allergy_changes = changes_field(_("For example: a new allergy, or one that is not right."))
    medications = review_field(_("Are these medicines right?"))
    medication_changes = changes_field(
        _("For example: a new medicine, one you have stopped, or a new dose.")
    )

    def __init__(
        self,
        *args: Any,
        questions: list[str],
        reviewed_parts: tuple[str, ...],
        may_change_contact: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        # Read-only for a caregiver or parent without the account scope: a disabled field
        # keeps the patient's own value whatever is posted.
        if not may_change_contact:
            for name in CONTACT_FIELDS:
                self.fields[name].disabled = True
        self.reviewed_parts = reviewed_parts
        for part, changes in REVIEWED_PARTS.items():
            if part not in reviewed_parts:
                del self.fields[part], self.fields[changes]
        for number, question in enumerate(questions):
            self.fields[f"answer_{number}"] = text(
                question, ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
            )

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[f"answer_{number}"] for number in range(len(self.questions))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("self_pay"):
            self.check_insurance(cleaned)
        for part, changes in REVIEWED_PARTS.items():
            if cleaned.get(part) == CHANGED and not cleaned.get(changes, "").strip():
                self.add_error(changes, _("Say what has changed."))
        return cleaned

    def check_insurance(self, cleaned: dict[str, Any]) -> None:
        """Without "I will pay myself", the insurance company and member ID are needed."""
        if not cleaned.get("insurance_payer", "").strip() and "insurance_payer" not in self.errors:
            self.add_error(
                "insurance_payer",
                _("Enter the insurance company, or tick “I do not have insurance”."),
            )
        member_id = cleaned.get("insurance_member_id", "").strip()
        if not member_id and "insurance_member_id" not in self.errors:
            self.add_error(
                "insurance_member_id",
                _("Enter the member ID, or tick “I do not have insurance”."),
            )

    def to_data(self) -> CheckInData:
        """The cleaned form as the check-in service takes it."""
        cleaned = self.cleaned_data
        contact = ContactDetails(
            **{name: cleaned[name].strip() for name in ContactDetails.__dataclass_fields__}
        )
        return CheckInData(
            contact=contact,
            contact_confirmed=cleaned["contact_confirmed"],
            insurance_payer=cleaned["insurance_payer"],
            insurance_member_id=cleaned["insurance_member_id"],
            insurance_group=cleaned["insurance_group"],
            self_pay=cleaned["self_pay"],
            allergies_confirmed=cleaned.get("allergies") == RIGHT,
            allergy_changes=self.changes("allergies"),
            medications_confirmed=cleaned.get("medications") == RIGHT,
            medication_changes=self.changes("medications"),
            answers=[
                {"question": question, "answer": cleaned[f"answer_{number}"].strip()}
                for number, question in enumerate(self.questions)
            ],
        )

    def changes(self, part: str) -> str:
        """What changed in a part of the record, kept only when the patient said it changed."""
        if self.cleaned_data.get(part) != CHANGED:
            return ""
        return str(self.cleaned_data[REVIEWED_PARTS[part]]).strip()
