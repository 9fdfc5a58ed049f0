"""The forms for registering and changing an app: plain words, every field labelled, and the
redirect addresses checked one per line (https only, but for http://localhost and
http://127.0.0.1 while an app is being built)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carebridge.fhir.registration_services import AppDetails

# An app needs a few addresses at most (one per platform); more is a mistake.
MOST_REDIRECT_URIS = 10
_DEVELOPMENT_HOSTS = frozenset({"localhost", "127.0.0.1"})
_PUBLIC, _CONFIDENTIAL = "public", "confidential"


class _AppFields(forms.Form):
    name = forms.CharField(
        label=_("Name patients see"),
        max_length=100,
        error_messages={"required": _("Enter the app's name.")},
    )
    description = forms.CharField(
        label=_("What the app does, in plain words"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    redirect_uris = forms.CharField(
        label=_("Redirect addresses"),
        help_text=_(
            "One address per line, as the app's makers give them. Each must start with "
            "https://, except http://localhost and http://127.0.0.1 for testing."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter at least one redirect address.")},
    )

    def clean_name(self) -> str:
        # Spaces inside the name collapse to one, as patients see it in one line.
        return " ".join(self.cleaned_data["name"].split())

    def clean_description(self) -> str:
        return str(self.cleaned_data["description"]).strip()

    def clean_redirect_uris(self) -> tuple[str, ...]:
        lines = [line.strip() for line in self.cleaned_data["redirect_uris"].splitlines()]
        uris = tuple(dict.fromkeys(line for line in lines if line))
        if not uris:
            raise ValidationError(_("Enter at least one redirect address."))
        if len(uris) > MOST_REDIRECT_URIS:
            raise ValidationError(
                _("Enter at most %(most)d redirect addresses.") % {"most": MOST_REDIRECT_URIS}
            )
        for uri in uris:
            if not is_allowed_redirect_uri(uri):
                raise ValidationError(
                    _(
                        "“%(uri)s” is not an address we can send patients back to. Use a full "
                        "https:// address (or http://localhost for testing), without spaces or #."
                    )
                    % {"uri": uri[:200]}
                )
        return uris


class AppRegistrationForm(_AppFields):
    """A new app: its name, what it does, its website, its kind of client, its addresses."""

    website = forms.URLField(
        label=_("The app's website (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
    )
    client_type = forms.ChoiceField(
        label=_("Kind of app"),
        choices=[
            (_PUBLIC, _("Public: an app on a phone or in a browser, which cannot keep a secret")),
            (_CONFIDENTIAL, _("Confidential: a web service with a server that keeps a secret")),
        ],
        widget=forms.RadioSelect,
    )
    field_order = ["name", "description", "website", "client_type", "redirect_uris"]

    def details(self) -> AppDetails:
        data = self.cleaned_data
        return AppDetails(
            name=data["name"],
            description=data["description"],
            website=data["website"],
            redirect_uris=data["redirect_uris"],
            confidential=data["client_type"] == _CONFIDENTIAL,
        )


class AppChangeForm(_AppFields):
    """An app's name, description and redirect addresses (its kind of client stays)."""


def is_allowed_redirect_uri(uri: str) -> bool:
    """An absolute https address with a host, or http on localhost / 127.0.0.1; no spaces,
    no fragment (OAuth 2.0 forbids one), no user name or password in it."""
    if any(char.isspace() or ord(char) < 32 for char in uri) or "#" in uri:
        return False
    try:
        parts = urlsplit(uri)
        host = parts.hostname
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        return False
    if not host or parts.username is not None or parts.password is not None:
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and host in _DEVELOPMENT_HOSTS
