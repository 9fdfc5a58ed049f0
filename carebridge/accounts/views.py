"""Enrolment, the account overview, and the session-time endpoints the page script calls."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carebridge.accounts import services
from carebridge.accounts.eligibility import is_old_enough_for_own_account, too_young_words
from carebridge.accounts.forms import ActivationForm, EnrolEmailForm, EnrolPasswordForm
from carebridge.accounts.kept import has_two_step
from carebridge.accounts.models import ActivationCode, User
from carebridge.core.http import AuthenticatedRequest, client_ip
from carebridge.lib import ratelimit
from carebridge.proxies import selectors as proxy_selectors

ENROL_SESSION_KEY = "carebridge_enrol_code"


def _submitted(request: HttpRequest) -> QueryDict | None:
    """The posted data, even when empty: an empty POST is a submission and gets errors."""
    return request.POST if request.method == "POST" else None


def _take_enrol_attempt(request: HttpRequest) -> bool:
    """Count a try from this address; False once it has used them all (shared and exact)."""
    return ratelimit.take(
        "enrol",
        client_ip(request),
        limit=settings.CAREBRIDGE_ENROL_ATTEMPTS,
        window_seconds=settings.CAREBRIDGE_ENROL_WINDOW_SECONDS,
    )


def enrol_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the activation code and date of birth, checked together."""
    if request.user.is_authenticated:
        return redirect("home:home")
    form = ActivationForm(_submitted(request))
    # Only a complete answer is a guess; a form with a field missing costs nothing.
    if request.method == "POST" and form.is_valid():
        if not _take_enrol_attempt(request):
            return render(request, "accounts/enrol_limited.html", status=429)
        activation = services.match_activation_code(
            form.cleaned_data["code"], form.cleaned_data["birth_date"]
        )
        if activation is not None:
            # A right answer was not a guess.
            ratelimit.give_back("enrol", client_ip(request))
            if not is_old_enough_for_own_account(activation.patient):
                form.add_error(None, too_young_words(activation.patient))
                return render(request, "accounts/enrol_start.html", {"form": form})
            request.session[ENROL_SESSION_KEY] = activation.pk
            return redirect("accounts:enrol-email")
        form.add_error(
            None,
            _(
                "We could not match that activation code and date of birth. Check both and "
                "try again, or call your clinic for a new code."
            ),
        )
    return render(request, "accounts/enrol_start.html", {"form": form})


def enrol_email(request: HttpRequest) -> HttpResponse:
    """Step 2: the patient's e-mail address, which gets a one-time link."""
    activation_id = request.session.get(ENROL_SESSION_KEY)
    activation = (
        ActivationCode.objects.usable().filter(pk=activation_id).first() if activation_id else None
    )
    if activation is None:
        return redirect("accounts:enrol")
    form = EnrolEmailForm(_submitted(request))
    if request.method == "POST" and form.is_valid():
        services.send_enrolment_link(
            activation=activation, email=form.cleaned_data["email"], request=request
        )
        del request.session[ENROL_SESSION_KEY]
        return render(
            request, "accounts/enrol_check_email.html", {"email": activation.pending_email}
        )
    return render(request, "accounts/enrol_email.html", {"form": form})


def enrol_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Step 3, from the e-mail link: the e-mail is proven; choose a password and finish."""
    activation = services.find_enrolment_by_token(token)
    if activation is None:
        return render(request, "accounts/enrol_link_invalid.html", status=404)
    patient = activation.patient
    would_be = User(
        email=activation.pending_email, first_name=patient.given_name, last_name=patient.family_name
    )
    form = EnrolPasswordForm(_submitted(request), user=would_be)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.enrol_patient(
                activation=activation, password=form.cleaned_data["password1"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            services.start_session_clock(request)
            return redirect("accounts:enrol-done")
    context = {"form": form, "email": activation.pending_email}
    return render(request, "accounts/enrol_password.html", context)


@login_required
def enrol_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/enrol_done.html")


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    acting = request.acting
    context = {
        "has_mfa": has_two_step(request.user),
        "proxy_links": proxy_selectors.account_links(request.user, acting.own_patient),
    }
    return render(request, "accounts/overview.html", context)


def _seconds_left(request: HttpRequest) -> int:
    now = time.time()
    last_seen = float(request.session.get(services.LAST_SEEN_AT, now))
    signed_in = float(request.session.get(services.SIGNED_IN_AT, now))
    idle_left = settings.CAREBRIDGE_SESSION_IDLE_SECONDS - (now - last_seen)
    absolute_left = settings.CAREBRIDGE_SESSION_ABSOLUTE_SECONDS - (now - signed_in)
    return max(0, int(min(idle_left, absolute_left)))


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long this session has left. Does not count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    return JsonResponse({"signed_in": True, "seconds_left": _seconds_left(request)})


@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """The "Stay signed in" button: counts as activity and restarts the idle clock."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    request.session[services.LAST_SEEN_AT] = time.time()
    return JsonResponse({"signed_in": True, "seconds_left": _seconds_left(request)})
