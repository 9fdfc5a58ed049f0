"""Undelivered e-mails: clinic administrators see their clinic's queued and failed notices and
put failed ones back in the queue.

Only clinic administrators (the `manage_clinic` permission, as for the message settings); a
notice of another clinic is a 404. Addresses are shown masked. Viewing the page is audited
here; each retry is audited by the service.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Clinic
from carebridge.core.http import AuthenticatedRequest
from carebridge.notifications.selectors import get_outbox_summary, list_failed_notices
from carebridge.notifications.services.delivery import retry_failed_notices
from carebridge.staff.access import staff_required


def _clinic(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


@staff_required("manage_clinic")
@require_safe
def notices(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's queued and failed notices: counts, the oldest waiting, the failed ones."""
    clinic = _clinic(request)
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="notice",
        acting_as="staff",
        request=request,
    )
    context = {
        "clinic": clinic,
        "summary": get_outbox_summary(clinic),
        "failed": list_failed_notices(clinic),
    }
    with timezone.override(ZoneInfo(clinic.time_zone)):
        return render(request, "staff/notices.html", context)


@staff_required("manage_clinic")
@require_POST
def notice_retry(request: AuthenticatedRequest, notice_id: int) -> HttpResponse:
    """Put one failed notice of the clinic back in the queue; any other id is a 404."""
    retried = retry_failed_notices(
        actor=request.user, clinic=_clinic(request), notice_ids=[notice_id], request=request
    )
    if not retried:
        raise Http404
    messages.success(request, _("The e-mail is in the queue again."))
    return redirect("staff:notices")


@staff_required("manage_clinic")
@require_POST
def notices_retry_all(request: AuthenticatedRequest) -> HttpResponse:
    """Put every failed notice of the clinic back in the queue."""
    retried = retry_failed_notices(
        actor=request.user, clinic=_clinic(request), notice_ids=None, request=request
    )
    words = ngettext(
        "%(count)d e-mail is in the queue again.",
        "%(count)d e-mails are in the queue again.",
        retried,
    )
    messages.success(request, words % {"count": retried})
    return redirect("staff:notices")
