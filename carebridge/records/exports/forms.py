"""The choices behind a download or a sent summary: which parts, which dates, which format."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.records.exports.selection import SECTIONS, Selection

# Nothing in a living patient's record is older than this.
EARLIEST_DATE = datetime.date(1900, 1, 1)
EVERYTHING, CHOSEN = "all", "chosen"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SelectionForm(forms.Form):
    """Everything or chosen sections, and an optional date range (days, both included)."""

    include = forms.ChoiceField(
        label=_("What to include"),
        choices=[
            (EVERYTHING, _("Everything in my record")),
            (CHOSEN, _("Only the parts I choose below")),
        ],
        initial=EVERYTHING,
        widget=forms.RadioSelect,
    )
    sections = forms.MultipleChoiceField(
        label=_("Parts of my record"),
        choices=[(section.name, section.label) for section in SECTIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=_date_input())

    def clean_date_from(self) -> datetime.date | None:
        return self._check_plausible(self.cleaned_data.get("date_from"))

    def clean_date_to(self) -> datetime.date | None:
        return self._check_plausible(self.cleaned_data.get("date_to"))

    def _check_plausible(self, value: datetime.date | None) -> datetime.date | None:
        if value is not None and value < EARLIEST_DATE:
            raise forms.ValidationError(_("Enter a date in 1900 or later."))
        # A day of slack: the clinic's "today" may already be tomorrow in the server's zone.
        if value is not None and value > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("Enter a date that is not in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("include") == CHOSEN and not cleaned.get("sections"):
            self.add_error(
                "sections", _("Choose at least one part of your record, or choose everything.")
            )
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned

    def selection(self) -> Selection:
        """The valid choices as a `Selection`, the sections in the record's own order."""
        data = self.cleaned_data
        chosen = set(data.get("sections") or ()) if data["include"] == CHOSEN else set()
        return Selection(
            sections=tuple(section.name for section in SECTIONS if section.name in chosen),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class DownloadForm(SelectionForm):
    """A download: the selection, and the kind of file."""

    FHIR, CCDA, PRINT = "fhir", "ccda", "print"

    format = forms.ChoiceField(
        label=_("Kind of file"),
        choices=[
            (PRINT, _("A summary to read or print")),
            (CCDA, _("A C-CDA document (XML) for another doctor's computer system")),
            (FHIR, _("A FHIR file (JSON) for a health app")),
        ],
        initial=PRINT,
        widget=forms.RadioSelect,
    )

    field_order = ["format", "include", "sections", "date_from", "date_to"]


class ShareForm(SelectionForm):
    """A summary to send: who to, and the selection."""

    recipient_email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_("For example, your new doctor's office. Check it carefully."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["recipient_email", "include", "sections", "date_from", "date_to"]

    def clean_recipient_email(self) -> str:
        return str(self.cleaned_data["recipient_email"]).strip().lower()


class PasscodeForm(forms.Form):
    """The passcode the patient gave the recipient by another route (phone, in person)."""

    passcode = forms.CharField(
        label=_("Passcode"),
        help_text=_("The person who sent you this summary will have told you the passcode."),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
