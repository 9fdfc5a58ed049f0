"""The people a user helps as a caregiver or parent, and stopping helping one of them.

Only the user's own grants as a proxy: another person's grant, or one that does not exist, is
a 404. What each grant allows is shown as of today, after its dates and the age rules.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carebridge.core.http import AuthenticatedRequest
from carebridge.proxies import selectors
from carebridge.proxies.models import EndReason
from carebridge.proxies.resolution import ACTING_FOR_SESSION_KEY
from carebridge.proxies.services.grants import revoke_grant


@login_required
def helping(request: AuthenticatedRequest) -> HttpResponse:
    """Whom the user helps, what they may do for each today, and recently ended access.

    The user's own grants only, so nothing here is anyone else's to audit.
    """
    return render(request, "proxies/helping.html", {"rows": selectors.list_helping(request.user)})


@login_required
def stop(request: AuthenticatedRequest, grant_id: uuid.UUID) -> HttpResponse:
    """Ask, then stop helping someone: the user's grant ends now.

    The service audits it and tells both sides by e-mail. If the user was acting for that
    person, they go back to their own account at once.
    """
    grant = selectors.find_helping_grant(request.user, grant_id)
    if grant is None:
        raise Http404
    if not grant.is_open:
        messages.info(request, _("This access has already ended."))
        return redirect("proxies:helping")
    name = grant.patient.display_name
    if request.method == "POST":
        revoke_grant(
            actor=request.user, grant=grant, reason=EndReason.WITHDRAWN_BY_PROXY, request=request
        )
        if str(request.session.get(ACTING_FOR_SESSION_KEY, "")) == str(grant.patient_id):
            del request.session[ACTING_FOR_SESSION_KEY]
        messages.success(
            request, _("You no longer help %(name)s. We have told them by e-mail.") % {"name": name}
        )
        return redirect("proxies:helping")
    return render(request, "proxies/helping_stop.html", {"name": name})
