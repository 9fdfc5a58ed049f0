"""Filters for the activity page and the staff audit report. Every field is optional."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# The trail cannot hold anything older than the portal itself.
EARLIEST_DATE = datetime.date(2000, 1, 1)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateRangeForm(forms.Form):
    """From and to dates (both inclusive), as days in the clinic's time zone."""

    date_from = forms.DateField(label=_("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=_date_input())

    def clean_date_from(self) -> datetime.date | None:
        return self._check_plausible(self.cleaned_data.get("date_from"))

    def clean_date_to(self) -> datetime.date | None:
        return self._check_plausible(self.cleaned_data.get("date_to"))

    def _check_plausible(self, value: datetime.date | None) -> datetime.date | None:
        if value is not None and value < EARLIEST_DATE:
            raise forms.ValidationError(_("Enter a date in 2000 or later."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned


class AuditReportFilterForm(DateRangeForm):
    """The staff report's filters: one patient (by MRN), one user (by e-mail), and dates."""

    patient_mrn = forms.CharField(
        label=_("Patient MRN"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    user_email = forms.EmailField(
        label=_("User's e-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["patient_mrn", "user_email", "date_from", "date_to"]
