"""The consent form: which of the parts an app asked for the patient lets it read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.fhir.smart.parts import Part


class ConsentForm(forms.Form):
    """Tick boxes for the parts offered, all ticked at first; at least one must stay ticked."""

    parts = forms.MultipleChoiceField(
        label=_("Parts of the health record the app may read"),
        help_text=_("Untick any part you do not want the app to read."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one part of the record, or choose Deny."),
            "invalid_choice": _("Choose only from the parts listed."),
        },
    )

    def __init__(self, *args: Any, offered: Sequence[Part], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parts"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(part.key, part.label) for part in offered]
        field.initial = [part.key for part in offered]
