"""Send a health summary to someone else, and the page its recipient opens from the e-mail."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.http import AuthenticatedRequest, client_ip
from carebridge.lib.ratelimit import take
from carebridge.patients.models import Patient
from carebridge.records import sharing
from carebridge.records.access import access_record
from carebridge.records.exports.ccda import build_ccd
from carebridge.records.exports.forms import PasscodeForm, ShareForm
from carebridge.records.exports.printable import build_summary
from carebridge.records.models import RecordShare
from carebridge.records.views.downloads import no_store

# Passcode tries from one address, across every link, before it must wait.
TRIES_PER_ADDRESS = 20
TRIES_WINDOW_SECONDS = 60 * 60
# Where the recipient's right to download the C-CDA, after opening, is kept (one use).
DOWNLOAD_KEY = "carebridge_shared_download"


@login_required
def share(request: AuthenticatedRequest) -> HttpResponseBase:
    """The form to send a summary, the summaries already sent, and revoking one.

    Access: the viewer's record, if they may take copies of it; only the sections they may see
    are offered. Audit: the page view; sending ("share") and revoking ("update") are recorded
    by the services.
    """
    scope = access_record(request, object_type="record_shares", part="download")
    patient = scope.patient
    if request.method == "POST" and "revoke" in request.POST:
        return _revoke(request, patient)
    form = ShareForm(request.POST or None, parts=scope.parts)
    if request.method == "POST" and form.is_valid():
        new = sharing.create_share(
            request=request,
            patient=patient,
            recipient_email=form.cleaned_data["recipient_email"],
            selection=form.selection(),
        )
        context = {"share": new.share, "passcode": new.passcode, **_zone(patient)}
        context["expires_on"] = sharing.expiry_day(new.share)
        return no_store(render(request, "records/sharing/sent.html", context))
    context = {
        "form": form,
        "shares": sharing.list_shares(patient),
        "share_days": settings.CAREBRIDGE_SHARE_LINK_DAYS,
        **_zone(patient),
    }
    with timezone.override(patient.clinic.time_zone):
        return no_store(render(request, "records/sharing/share.html", context))


def _zone(patient: Patient) -> dict[str, Any]:
    return {"time_zone": patient.clinic.time_zone}


def _revoke(request: AuthenticatedRequest, patient: Patient) -> HttpResponseBase:
    share_id = request.POST.get("revoke", "")
    if _is_uuid(share_id) and sharing.revoke_share(
        request=request, patient=patient, share_id=share_id
    ):
        messages.success(request, _("The link is cancelled. It no longer opens."))
    else:
        messages.error(request, _("That link was already opened, cancelled or expired."))
    return redirect("records:share")


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def open_shared(request: HttpRequest, token: str) -> HttpResponseBase:
    """The recipient's page: the passcode form, then the summary, once.

    No sign-in: the link and the passcode are the keys. Unknown, expired, revoked, locked and
    used links all get the same "not valid" page. Passcode tries are limited per link (see
    `sharing.open_share`) and per address.
    """
    if request.method == "POST" and request.POST.get("action") == "download":
        return _secure(_download(request, token))
    share = sharing.share_for_token(token)
    if share is None:
        return _secure(_not_valid(request))
    form = PasscodeForm(request.POST or None)
    if request.method == "POST":
        if not take(
            "record-share-open",
            client_ip(request),
            limit=TRIES_PER_ADDRESS,
            window_seconds=TRIES_WINDOW_SECONDS,
        ):
            return _secure(render(request, "records/sharing/too_many.html", status=429))
        if form.is_valid():
            return _secure(_try_passcode(request, share, form))
    return _secure(render(request, "records/sharing/passcode.html", _passcode_context(share, form)))


def _passcode_context(share: RecordShare, form: PasscodeForm) -> dict[str, Any]:
    return {"form": form, "sender": sharing.sender_name(share)}


def _try_passcode(request: HttpRequest, share: RecordShare, form: PasscodeForm) -> HttpResponse:
    result = sharing.open_share(
        share=share, passcode=form.cleaned_data["passcode"], request=request
    )
    if result is sharing.OpenResult.OPENED:
        request.session[DOWNLOAD_KEY] = str(share.pk)
        return _opened_page(request, share)
    if result is sharing.OpenResult.WRONG_PASSCODE:
        left = sharing.attempts_left(share)
        form.add_error(
            "passcode",
            _("That passcode does not match. You can try %(count)s more times.") % {"count": left},
        )
        return render(request, "records/sharing/passcode.html", _passcode_context(share, form))
    return _not_valid(request)


def _opened_page(request: HttpRequest, share: RecordShare) -> HttpResponse:
    patient = share.patient
    selection = sharing.selection_of(share)
    context = {
        "patient": patient,
        "clinic": patient.clinic,
        "selection": selection,
        "summary": build_summary(sharing.scope_of(share), selection),
        "printed_at": timezone.now(),
        "download_minutes": sharing.DOWNLOAD_MINUTES,
        "sender": sharing.sender_name(share),
    }
    with timezone.override(patient.clinic.time_zone):
        return render(request, "records/sharing/opened.html", context)


def _download(request: HttpRequest, token: str) -> HttpResponse:
    """The C-CDA of an opened summary, once, from the browser that opened it."""
    share_id = str(request.session.pop(DOWNLOAD_KEY, ""))
    share = sharing.share_for_download(share_id, token) if _is_uuid(share_id) else None
    if share is None:
        return _not_valid(request)
    sharing.record_recipient_download(share=share, request=request)
    now = timezone.now()
    document = build_ccd(sharing.scope_of(share), sharing.selection_of(share), now)
    response = HttpResponse(document, content_type="application/xml")
    day = now.astimezone(ZoneInfo(share.patient.clinic.time_zone)).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="health-summary-{day}.xml"'
    return response


def _not_valid(request: HttpRequest) -> HttpResponse:
    return render(request, "records/sharing/not_valid.html", status=404)


def _secure(response: HttpResponseBase) -> HttpResponseBase:
    """No caching, no referrer beyond this site (the address holds the link's key), not for
    search engines.

    "same-origin", not "no-referrer": with no referrer at all, browsers send `Origin: null`
    with the page's own form, and Django's CSRF check then rightly refuses it.
    """
    no_store(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
