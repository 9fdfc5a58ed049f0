"""The choices behind a download or a sent summary: which parts, which dates, which format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms import DateRangeForm
from carebridge.records.exports.selection import SECTIONS, Selection

EVERYTHING, CHOSEN = "all", "chosen"


class SelectionForm(DateRangeForm):
    """Everything or chosen sections, and an optional date range (days, both included).

    `parts` are the parts of the record the viewer may see (None: all): only their sections are
    offered, and "everything" means those sections.
    """

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
    # Nothing in a living patient's record is older than 1900 (the default), or in the future.
    allows_future = False
    field_order = ["include", "sections", "date_from", "date_to"]

    def __init__(self, *args: Any, parts: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered = tuple(
            section for section in SECTIONS if parts is None or section.part in parts
        )
        self.is_limited = parts is not None
        sections = self.fields["sections"]
        assert isinstance(sections, forms.MultipleChoiceField)
        sections.choices = [(section.name, section.label) for section in self.offered]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("include") == CHOSEN and not cleaned.get("sections"):
            self.add_error(
                "sections", _("Choose at least one part of your record, or choose everything.")
            )
        return cleaned

    def selection(self) -> Selection:
        """The valid choices as a `Selection`, the sections in the record's own order."""
        data = self.cleaned_data
        if data["include"] == CHOSEN:
            chosen = set(data.get("sections") or ())
        else:
            # Everything, for a viewer limited to some parts, is every section they may see.
            chosen = {section.name for section in self.offered} if self.is_limited else set()
        return Selection(
            sections=tuple(section.name for section in self.offered if section.name in chosen),
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
        help_text=_("For example, the new doctor's office. Check it carefully."),
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
