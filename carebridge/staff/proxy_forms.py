"""Console forms for giving and changing a parent's or guardian's access: input validation only.

The rules (who may be given access, for which patient) live in the proxies services; these
forms only check that the staff member filled everything in.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.proxies.models import ProxyRelationship, ProxyScope

PARENTAL_CHOICES = [
    (ProxyRelationship.PARENT.value, ProxyRelationship.PARENT.label),
    (ProxyRelationship.LEGAL_GUARDIAN.value, ProxyRelationship.LEGAL_GUARDIAN.label),
]


def scopes_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("What they may see and do"),
        choices=ProxyScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing they may see or do.")},
    )


class ParentalAccessForm(forms.Form):
    email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_(
            "If they have no portal account yet, we e-mail them an invitation to create one."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    relationship = forms.ChoiceField(
        label=_("They are the patient's"),
        choices=PARENTAL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose parent or legal guardian.")},
    )
    scopes = scopes_field()
    note = forms.CharField(
        label=_("How you checked identity and relationship"),
        help_text=_(
            "For example: photo ID and birth certificate seen. "
            "Do not write anything about the patient's health."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how you checked who they are.")},
    )
    confirmed = forms.BooleanField(
        label=_("I have checked this person's identity and their relationship to the patient"),
        error_messages={"required": _("Tick the box once you have checked.")},
    )


class ChangeScopesForm(forms.Form):
    scopes = scopes_field()
