"""The app register: list the clinic's apps, register one (its client id, and a confidential
client's secret, shown once), change one, withdraw one.

Only clinic administrators (`clinic.manage_clinic`) get these pages, and only for their own
clinic: another clinic's app is a 404. Views are thin: a selector finds the app in the clinic,
the form validates, a service writes and audits (`record_change`, object type "api_app").
These pages show no patient: only how many patients have each app connected.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.clinic.models import Clinic
from carebridge.core.http import AuthenticatedRequest
from carebridge.fhir import registration_services as services
from carebridge.staff.access import staff_required
from carebridge.staff.apps_setup import selectors
from carebridge.staff.apps_setup.forms import AppChangeForm, AppRegistrationForm

PERMISSION = "manage_clinic"


def _clinic(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


@staff_required(PERMISSION)
@require_safe
def app_list(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's apps: kind of client, addresses, offered or not, patients connected."""
    context = {"apps": selectors.list_apps(_clinic(request))}
    return render(request, "staff/apps_setup/apps.html", context)


@staff_required(PERMISSION)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def app_add(request: AuthenticatedRequest) -> HttpResponse:
    """Register an app. The answer to a valid form is the only page that ever shows the
    client secret (it is stored hashed), so it is not cached and not a redirect."""
    form = AppRegistrationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        registered = services.register_api_app(
            actor=request.user, clinic=_clinic(request), details=form.details(), request=request
        )
        return render(request, "staff/apps_setup/app_created.html", {"registered": registered})
    return render(request, "staff/apps_setup/app_form.html", {"form": form, "app": None})


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def app_change(request: AuthenticatedRequest, app_id: int) -> HttpResponse:
    """Change an app's name, description and redirect addresses."""
    app = selectors.get_app(_clinic(request), app_id)
    initial = {
        "name": app.application.name,
        "description": app.description,
        "redirect_uris": "\n".join(app.application.redirect_uris.split()),
    }
    form = AppChangeForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        services.change_api_app(
            actor=request.user,
            registration=app,
            name=data["name"],
            description=data["description"],
            redirect_uris=data["redirect_uris"],
            request=request,
        )
        messages.success(request, _("The changes are saved."))
        return redirect("staff:setup-apps")
    return render(request, "staff/apps_setup/app_form.html", {"form": form, "app": app})


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def app_withdraw(request: AuthenticatedRequest, app_id: int) -> HttpResponse:
    """Ask, then stop offering an app: patients can no longer connect it and its tokens stop
    working at once."""
    app = selectors.get_app(_clinic(request), app_id)
    if request.method == "POST":
        services.withdraw_api_app(actor=request.user, registration=app, request=request)
        name = app.application.name
        messages.success(request, _("“%(name)s” is withdrawn.") % {"name": name})
        return redirect("staff:setup-apps")
    return render(request, "staff/apps_setup/app_withdraw.html", {"app": app})
