"""Held results: a clinician reviews the clinic's results waiting for release and releases them.

Everything is scoped to the staff member's own clinic: another clinic's held results never
appear, and an id from another clinic is ignored by `release_results`. Releasing is audited
by the service, one event per result; viewing the list is audited here.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from carebridge.audit.services import record_list_view
from carebridge.clinic.models import Clinic
from carebridge.core.http import AuthenticatedRequest
from carebridge.records.selectors.held import held_rows, list_held_results, with_report_results
from carebridge.records.services import release_results, set_held_result_categories
from carebridge.staff.access import staff_required
from carebridge.staff.forms import HeldCategoriesForm

HELD_PER_PAGE = 50


def _clinic(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


@staff_required("release_results")
@require_http_methods(["GET", "POST"])
def held_results(request: AuthenticatedRequest) -> HttpResponse:
    """List the clinic's held results (GET) or release the chosen ones (POST, then redirect)."""
    clinic = _clinic(request)
    if request.method == "POST":
        return _release(request, clinic)
    zone = ZoneInfo(clinic.time_zone)
    page = Paginator(list_held_results(clinic), HELD_PER_PAGE).get_page(request.GET.get("page"))
    # Audit rule: one view of "results" for each patient whose held result the page lists.
    record_list_view(
        actor=request.user,
        patients=[row.patient for row in page.object_list if row.patient is not None],
        object_type="results",
        request=request,
    )
    context = {"page": page, "rows": held_rows(page.object_list, zone)}
    return render(request, "staff/held_results.html", context)


def _release(request: AuthenticatedRequest, clinic: Clinic) -> HttpResponse:
    chosen = [int(value) for value in request.POST.getlist("result") if value.isdigit()]
    if not chosen:
        messages.error(request, _("Choose at least one result to release."))
        return redirect("staff:held-results")
    released = release_results(
        actor=request.user, clinic=clinic, resource_ids=with_report_results(clinic, chosen)
    )
    count = len(released)
    if not count:
        # Already released (a second click, or a colleague was quicker), or not this clinic's.
        messages.warning(
            request, _("None of the chosen results was waiting. It may already be released.")
        )
        return redirect("staff:held-results")
    messages.success(
        request,
        ngettext(
            "Released %(count)d result. The patient has been told by e-mail that something "
            "new is in their record.",
            "Released %(count)d results. Their patients have been told by e-mail that "
            "something new is in their record.",
            count,
        )
        % {"count": count},
    )
    return redirect("staff:held-results")


@staff_required("manage_clinic")
@require_http_methods(["GET", "POST"])
def release_settings(request: AuthenticatedRequest) -> HttpResponse:
    """Which kinds of results the clinic holds for clinician release (clinic administrators)."""
    clinic = _clinic(request)
    initial = {"categories": clinic.held_result_categories}
    # Unticking every box posts no data at all, which must still count as a choice.
    data = request.POST if request.method == "POST" else None
    form = HeldCategoriesForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        set_held_result_categories(
            actor=request.user,
            clinic=clinic,
            categories=form.cleaned_data["categories"],
            request=request,
        )
        messages.success(request, _("Saved. New results follow these settings from now on."))
        return redirect("staff:release-settings")
    return render(request, "staff/release_settings.html", {"form": form, "clinic": clinic})
