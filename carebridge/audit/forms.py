"""Filters for the activity page and the staff audit report. Every field is optional."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms import DateRangeForm as BaseDateRangeForm


class DateRangeForm(BaseDateRangeForm):
    """From and to dates (both inclusive), as days in the clinic's time zone."""

    # The trail cannot hold anything older than the portal itself.
    earliest_date = datetime.date(2000, 1, 1)
    earliest_message = _("Enter a date in 2000 or later.")


class ActivityFilterForm(DateRangeForm):
    """The account activity page's filters: the person (or app) who looked, and dates."""

    person = forms.ChoiceField(
        label=_("Who"),
        required=False,
        error_messages={"invalid_choice": _("Choose someone from the list.")},
    )

    field_order = ["person", "date_from", "date_to"]

    def __init__(self, *args: object, people: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [("", _("Everyone")), *people]


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
