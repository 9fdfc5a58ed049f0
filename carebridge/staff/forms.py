"""Console forms: input validation only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
