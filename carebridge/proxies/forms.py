"""Forms for the proxy account pages: inviting a caregiver, changing and sharing access, and
creating a caregiver's account from an invitation. Errors are in plain words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.accounts.forms import EnrolPasswordForm
from carebridge.core.forms import BoundedDateField
from carebridge.proxies.models import PARENTAL_RELATIONSHIPS, ProxyRelationship, ProxyScope

# One line each, addressed to the patient, on what a caregiver with the scope may do.
SCOPE_EXPLANATIONS: dict[str, Promise] = {
    ProxyScope.RECORD: _(
        "See your health record: medicines, allergies, health problems, visits and documents "
        "(not test results)."
    ),
    ProxyScope.RESULTS: _("See your test results and measurements such as blood pressure."),
    ProxyScope.MESSAGING: _("Read your messages with the clinic and send messages for you."),
    ProxyScope.APPOINTMENTS: _("See, book and cancel your appointments."),
    ProxyScope.BILLING: _("See and pay your bills."),
    ProxyScope.ACCOUNT: _("See your account activity: who has seen or changed your record."),
}

# What a teenager may share with a parent, addressed to the teenager.
TEEN_SHARE_EXPLANATIONS: dict[str, Promise] = {
    ProxyScope.RECORD: _(
        "Your whole health record: medicines, health problems, visits, documents and more."
    ),
    ProxyScope.RESULTS: _("Your test results and measurements such as blood pressure."),
    ProxyScope.MESSAGING: _(
        "Your own messages: the conversations you start with the clinic, and its replies."
    ),
    ProxyScope.ACCOUNT: _("Your account activity: who has seen or changed your record."),
}

# A caregiver a patient invites is never their parent or guardian: clinic staff give those.
CAREGIVER_RELATIONSHIPS = [
    (value, label)
    for value, label in ProxyRelationship.choices
    if value not in PARENTAL_RELATIONSHIPS
]


class ExplainedChoicesMixin:
    """Tick boxes, each with a one-line explanation (`explanations`, keyed by value)."""

    explanations: dict[str, Promise] = {}

    def scope_options(self) -> list[tuple[BoundWidget, str]]:
        field = self["scopes"]  # type: ignore[index]
        return [(option, str(self.explanations[option.data["value"]])) for option in field]


def scopes_field(
    choices: Sequence[tuple[str, str | Promise]], *, required: bool = True
) -> forms.Field:
    return forms.MultipleChoiceField(
        label=_("What they may see and do"),
        choices=choices,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing they may see or do.")},
    )


class InviteCaregiverForm(ExplainedChoicesMixin, forms.Form):
    explanations = SCOPE_EXPLANATIONS

    email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_("We send the invitation here. They sign in with their own password."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    relationship = forms.ChoiceField(
        label=_("How are they related to you?"),
        choices=[("", _("Choose one")), *CAREGIVER_RELATIONSHIPS],
        error_messages={"required": _("Choose how this person is related to you.")},
    )
    scopes = scopes_field(ProxyScope.choices)
    ends_on = BoundedDateField(
        label=_("Last day of access (you can leave this empty)"),
        help_text=_("Leave it empty to give access until you end it."),
        required=False,
    )


class ChangeScopesForm(ExplainedChoicesMixin, forms.Form):
    explanations = SCOPE_EXPLANATIONS

    scopes = scopes_field(ProxyScope.choices)


class TeenSharingForm(ExplainedChoicesMixin, forms.Form):
    """What more a teenager shares with one parent; none ticked shares nothing more."""

    explanations = TEEN_SHARE_EXPLANATIONS

    def __init__(self, *args: Any, shareable: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(value, label) for value, label in ProxyScope.choices if value in shareable]
        self.fields["scopes"] = scopes_field(choices, required=False)
        self.fields["scopes"].label = _("What else they may see")


class CaregiverAccountForm(EnrolPasswordForm):
    """A new caregiver's name and password; the invited e-mail address is the account's."""

    field_order = ["first_name", "last_name", "password1", "password2"]

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    def clean_password1(self) -> str:
        # The names are cleaned first (field order), so a password like one's own name fails.
        self.user.first_name = self.cleaned_data.get("first_name", "")
        self.user.last_name = self.cleaned_data.get("last_name", "")
        return super().clean_password1()
