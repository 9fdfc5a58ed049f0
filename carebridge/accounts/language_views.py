"""The language switch in every page's header, and the account's "Language" page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.accounts import services
from carebridge.accounts.forms import LanguageForm
from carebridge.accounts.languages import is_offered, set_language_cookie
from carebridge.core.http import AuthenticatedRequest


def _safe_next(request: HttpRequest) -> str:
    """Where to go back to: the page the switch was on, if it is on this site, else home."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home:home") if request.user.is_authenticated else reverse("account_login")


def _use_language(request: HttpRequest, response: HttpResponse, code: str) -> None:
    """Keep `code` for this browser (the cookie outlives sign-out) and, for someone signed in,
    on their account (audited), so that it follows them to other browsers and their e-mails."""
    if request.user.is_authenticated:
        services.save_language(user=request.user, language=code, request=request)
    translation.activate(code)
    set_language_cookie(response, code)


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The header's "Español" / "English" button: switch, then back to the same page."""
    response = HttpResponseRedirect(_safe_next(request))
    code = request.POST.get("language", "")
    if is_offered(code):
        _use_language(request, response, code)
    return response


@login_required
def language_settings(request: AuthenticatedRequest) -> HttpResponse:
    """Account settings: the language of the person's pages and e-mails."""
    current = request.user.language or translation.get_language()
    form = LanguageForm(request.POST or None, initial={"language": current})
    if request.method == "POST" and form.is_valid():
        response = redirect("accounts:language")
        _use_language(request, response, form.cleaned_data["language"])
        messages.success(request, _("Your language is saved."))
        return response
    return render(request, "accounts/language.html", {"form": form})
