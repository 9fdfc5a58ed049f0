"""What a teenager shares with a parent or guardian beyond what the age rules leave them.

Only for a patient in the clinic's teen age band (by default 12 to 17), on their own account,
with a parent's access in force today; anyone else gets 404. What they share can never go
beyond what clinic staff gave the parent (see `carebridge.proxies.rules`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.proxies import selectors
from carebridge.proxies.forms import TeenSharingForm
from carebridge.proxies.services.grants import set_teen_sharing
from carebridge.proxies.views.caregivers import own_patient


def _form(row: selectors.TeenParentRow, data: object = None) -> TeenSharingForm:
    return TeenSharingForm(
        data, prefix=row.grant.pk.hex, shareable=row.shareable, initial={"scopes": row.shared}
    )


@login_required
def sharing(request: AuthenticatedRequest) -> HttpResponse:
    """Per parent: what they already see, and tick boxes for what else to share.

    Viewing is audited as the teenager viewing their own sharing; each change is audited by
    the service and applies from the parent's next request.
    """
    patient = own_patient(request)
    rows = selectors.list_teen_parents(patient)
    if not rows:
        raise Http404
    if request.method == "POST":
        return _save(request, rows)
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="proxy_sharing",
        patient=patient,
        acting_as="self",
        request=request,
    )
    parents = [(row, _form(row)) for row in rows]
    return render(request, "proxies/teen_sharing.html", {"parents": parents})


def _save(request: AuthenticatedRequest, rows: list[selectors.TeenParentRow]) -> HttpResponse:
    chosen = next((row for row in rows if str(row.grant.pk) == request.POST.get("grant")), None)
    if chosen is None:
        raise Http404
    form = _form(chosen, request.POST)
    if form.is_valid():
        try:
            set_teen_sharing(
                actor=request.user,
                grant=chosen.grant,
                scopes=form.cleaned_data["scopes"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = _("Saved. %(name)s sees the change from their next visit.")
            messages.success(request, done % {"name": chosen.parent_name})
            return redirect("proxies:teen-sharing")
    parents = [(row, form if row is chosen else _form(row)) for row in rows]
    return render(request, "proxies/teen_sharing.html", {"parents": parents})
