"""Console forms: input validation only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import MESSAGE_REPLY_DAYS_MOST
from carebridge.records.models import RESULT_CATEGORY_CHOICES


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a patient"),
        help_text=_("Medical record number, family name or given name."),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def search_text(self) -> str:
        """The text to search for; an invalid search lists everyone."""
        if not self.is_valid():
            return ""
        text: str = self.cleaned_data["q"]
        return text.strip()


class HeldCategoriesForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Hold these kinds of results for a clinician to release"),
        choices=RESULT_CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MessageSettingsForm(forms.Form):
    reply_days = forms.IntegerField(
        label=_("Working days the clinic takes to answer a message"),
        help_text=_(
            "Patients read this before they write: “The clinic answers messages within "
            "2 working days.”"
        ),
        min_value=1,
        max_value=MESSAGE_REPLY_DAYS_MOST,
        error_messages={"required": _("Say how many working days the clinic takes to answer.")},
    )
