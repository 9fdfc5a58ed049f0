"""Enrolment forms. Field errors are plain words; nothing here reveals whether a code exists."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.forms import ResetPasswordForm
from allauth.core import context as allauth_context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from carebridge.accounts import limits
from carebridge.accounts.languages import OWN_NAMES, offered_languages
from carebridge.accounts.models import User
from carebridge.core.forms import BoundedDateField


class ActivationForm(forms.Form):
    code = forms.CharField(
        label=_("Activation code"),
        help_text=_("It is on the letter or e-mail from your clinic, for example K7QX-M2RD-9TWH."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    birth_date = BoundedDateField(
        label=_("Your date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={"out_of_range": _("Enter your real date of birth.")},
    )

    def clean_birth_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["birth_date"]
        if value > datetime.date.today() or value.year < 1900:
            raise forms.ValidationError(_("Enter your real date of birth."))
        return value


class EnrolEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We will send you a link to check that it is yours."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class EnrolPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        max_length=4096,
        help_text=_("At least 12 characters. A few unrelated words make a strong password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password1(self) -> str:
        password: str = self.cleaned_data["password1"]
        password_validation.validate_password(password, self.user)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class _LimitedCodeMixin:
    """Count each two-step code try per address and per account on unknown browsers (or per
    known browser) instead of allauth's per-account lock (carebridge.accounts.limits)."""

    user: User

    def clean_code(self) -> str:
        attempt = limits.take_two_step_attempt(allauth_context.request, user=self.user)
        if attempt is None:
            raise get_account_adapter().validation_error("too_many_login_attempts")
        code: str = super().clean_code()  # type: ignore[misc]
        # A right code was not a guess.
        attempt.give_back()
        return code


class TwoStepForm(_LimitedCodeMixin, AuthenticateForm):
    """The two-step code (or a recovery code) at sign-in."""


class TwoStepReauthenticateForm(_LimitedCodeMixin, ReauthenticateForm):
    """The two-step code asked again before a sensitive change."""


class PortalResetPasswordForm(ResetPasswordForm):
    """Reset e-mails to one address are limited for unknown browsers together and for each
    known browser on its own, so a flood from elsewhere does not stop the owner's own request.
    The reply is the same whether or not the address has an account."""

    def clean_email(self) -> str:
        email: str = super().clean_email()
        if not limits.take_reset_email(allauth_context.request, email=email):
            raise forms.ValidationError(
                _("Too many reset e-mails were asked for this address. Try again in a minute."),
                code="too_many_reset_emails",
            )
        return email


class LanguageForm(forms.Form):
    """The language of the person's pages and e-mails; each choice named in its own language."""

    language = forms.ChoiceField(label=_("Language"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [(code, OWN_NAMES.get(code, code)) for code in offered_languages()]
