"""The page an invited caregiver opens from the invitation e-mail: accept, decline, or first
create an account.

The link's token is the only key, so the page is not cached, sends no referrer and is not for
search engines. A used, expired or wrong link gets the same friendly 404. Until someone signs
in, the page never names the patient: the link may have reached the wrong person. Posts are
limited per address, like enrolment.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from carebridge.accounts.models import User
from carebridge.accounts.services import is_email_taken, start_session_clock
from carebridge.core.http import AuthenticatedRequest, client_ip
from carebridge.lib import ratelimit
from carebridge.proxies import selectors
from carebridge.proxies.forms import CaregiverAccountForm
from carebridge.proxies.models import ProxyGrant
from carebridge.proxies.services.invitations import (
    NotInvitedPersonError,
    accept_invitation,
    check_invited_person,
    decline_invitation,
    enrol_caregiver,
    find_invitation,
)

RATE_LIMIT_ACTION = "proxy-invitation"


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation: create an account or sign in (visitor), or accept or decline (signed in)."""
    if request.method == "POST" and not ratelimit.take(
        RATE_LIMIT_ACTION,
        client_ip(request),
        limit=settings.CAREBRIDGE_ENROL_ATTEMPTS,
        window_seconds=settings.CAREBRIDGE_ENROL_WINDOW_SECONDS,
    ):
        return _secure(render(request, "proxies/invitation_limited.html", status=429))
    grant = find_invitation(token)
    if grant is None:
        return _secure(render(request, "proxies/invitation_invalid.html", status=404))
    if request.user.is_authenticated:
        return _secure(_signed_in(request, token, grant))  # type: ignore[arg-type]
    return _secure(_visitor(request, token, grant))


def _visitor(request: HttpRequest, token: str, grant: ProxyGrant) -> HttpResponse:
    """Create an account for the invited address (or, when it has one, sign in first)."""
    sign_in_url = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
    context: dict[str, object] = {"email": grant.invite_email, "sign_in_url": sign_in_url}
    if is_email_taken(grant.invite_email):
        return render(request, "proxies/invitation_sign_in.html", context)
    form = CaregiverAccountForm(
        request.POST if request.method == "POST" else None, user=User(email=grant.invite_email)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = enrol_caregiver(
                token=token,
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            start_session_clock(request)
            messages.success(request, _accepted_message(grant))
            return redirect("home:home")
    return render(request, "proxies/invitation_visitor.html", {**context, "form": form})


def _signed_in(request: AuthenticatedRequest, token: str, grant: ProxyGrant) -> HttpResponse:
    """Who invited them, as what, to do what; and the Accept and Decline buttons.

    Only for the invited person: anyone else signed in gets the refusal page, which names
    neither the patient nor what was offered (audited as denied, nothing changes).
    """
    errors: list[str] = []
    try:
        check_invited_person(grant=grant, user=request.user, request=request)
        response = _act(request, token, grant)
    except NotInvitedPersonError as refusal:
        shown = {"address": refusal.masked}
        return render(request, "proxies/invitation_not_yours.html", shown, status=403)
    except ValidationError as error:
        errors, response = error.messages, None
    if response is not None:
        return response
    context = {
        "patient_name": grant.patient.display_name,
        "relationship": str(grant.get_relationship_display()),
        "scopes": selectors.scope_labels(grant.scopes),
        "errors": errors,
    }
    return render(request, "proxies/invitation_signed_in.html", context)


def _act(request: AuthenticatedRequest, token: str, grant: ProxyGrant) -> HttpResponse | None:
    """Accept or decline as the form asked; None to show the invitation (errors are raised)."""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "accept":
        accept_invitation(token=token, user=request.user, request=request)
        messages.success(request, _accepted_message(grant))
        return redirect("home:home")
    if action == "decline":
        decline_invitation(token=token, user=request.user, request=request)
        messages.success(request, _("You have declined the invitation. Nothing has changed."))
        return redirect("home:home")
    return None


def _accepted_message(grant: ProxyGrant) -> str:
    return _(
        "You can now help %(name)s. Choose them under “Whose account” at the top of the page."
    ) % {"name": grant.patient.display_name}


def _secure(response: HttpResponse) -> HttpResponse:
    """No caching, no referrer beyond this site (the address holds the link's key), not for
    search engines.

    "same-origin", not "no-referrer": with no referrer at all, browsers send `Origin: null`
    with the page's own form, and Django's CSRF check then rightly refuses it.
    """
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
